import { expect, test, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { HeadlessProcess } from '../helpers/headless-process'
import { TestClient } from '../helpers/ws-client'
import { shot } from './shot'

// A named tool is made read-only for good, a noisy one is kept out, then let back in.
test.describe.configure({ mode: 'serial' })

let headless: HeadlessProcess
let wsUrl: string
let page: Page
let tool: TestClient | undefined
const ADMIN_TOKEN = 'e2e-admin-token-rules-0123456789'

test.beforeAll(async ({ browser }) => {
  headless = HeadlessProcess.start(
    { server: { port: 0, adminToken: ADMIN_TOKEN }, ports: [{ id: 'demo', path: 'sim:demo' }] },
    ['--ui'],
  )
  wsUrl = await headless.url()
  const uiUrl = (await headless.line(/^ui: (\S+)$/, 120_000))[1]!
  page = await browser.newPage()
  await page.goto(uiUrl)
  await expect(page.getByText('Admin: connected')).toBeVisible()
})

test.afterAll(async () => {
  await tool?.close()
  await page?.close()
  await headless?.stop()
})

/** A write on /ws; resolves with `ack` or the error code. */
async function write(tool: TestClient, id: number): Promise<string> {
  const from = tool.received.length
  tool.send({ type: 'write', port: 'demo', data: 'X', id })
  return tool.next(
    (r) => {
      const m = JSON.parse(r.data) as { id?: number; type: string; code?: string }
      return m.id === id ? (m.code ?? m.type) : undefined
    },
    { from },
  )
}

test('a named tool made "Always read-only" stays read-only when it reconnects', async () => {
  const first = await TestClient.connect(`${wsUrl}/ws?client=lab-script`)
  const { clientId } = await first.nextMessage('hello')
  await page.getByRole('tab', { name: 'Clients' }).click()
  const row = page.getByRole('row').filter({ hasText: 'lab-script' })
  await expect(row).toBeVisible()
  await page.getByRole('button', { name: `Always read-only for ${clientId}` }).click()
  await expect(page.getByText('tool "lab-script" is read-only now and each time')).toBeVisible()
  expect(await write(first, 1)).toBe('FORBIDDEN')

  await first.close()
  tool = await TestClient.connect(`${wsUrl}/ws?client=lab-script`)
  expect((await tool.nextMessage('hello')).readOnly).toBe(true)
  expect(await write(tool, 2)).toBe('FORBIDDEN')
  await expect(row.getByText('by a rule')).toBeVisible()
  // Kept connected for the screenshot of the next step.
})

test('"Block until allowed" disconnects a tool, refuses it with 403, and "Allow again" lets it in', async () => {
  const noisy = await TestClient.connect(`${wsUrl}/ports/demo?client=noisy`)
  await expect(page.getByRole('row').filter({ hasText: 'noisy' })).toBeVisible()
  const noisyRow = page.getByRole('row').filter({ hasText: 'noisy' })
  await noisyRow.getByRole('button', { name: /^Block c\d+ until allowed$/ }).click()
  expect(await noisy.closed).toEqual({ code: 1008, reason: 'blocked by the operator' })
  const refused = await TestClient.refusedWith(`${wsUrl}/ws?client=noisy`)
  expect(refused.status).toBe(403)
  await expect(page.getByText('blocked by a rule')).toBeVisible()
  const rules = page.getByRole('region', { name: 'Rules (2)' })
  await expect(rules.getByText('tool "noisy"')).toBeVisible()
  await page.screenshot({ path: test.info().outputPath('clients-rules.png'), fullPage: true })
  await test.info().attach('clients-rules', {
    path: test.info().outputPath('clients-rules.png'),
    contentType: 'image/png',
  })

  const saved = JSON.parse(readFileSync(headless.configPath, 'utf8')) as {
    server: { clientRules: unknown[] }
  }
  expect(saved.server.clientRules).toEqual([
    { match: { name: 'lab-script' }, action: 'readOnly', until: null },
    { match: { name: 'noisy' }, action: 'block', until: null },
  ])

  await rules.getByRole('button', { name: 'Remove rule: tool "noisy", blocked' }).click()
  await expect(page.getByText('tool "noisy" may connect again')).toBeVisible()
  const back = await TestClient.connect(`${wsUrl}/ports/demo?client=noisy`)
  await back.close()
})

test('"Block for 10 min" shows until when, as a 24-hour time', async () => {
  const brief = await TestClient.connect(`${wsUrl}/ports/demo?client=brief`)
  const row = page.getByRole('row').filter({ hasText: 'brief' })
  await row.getByRole('button', { name: /^Block c\d+ for 10 min$/ }).click()
  expect(await brief.closed).toEqual({ code: 1008, reason: 'blocked by the operator' })
  const rule = page.getByRole('region', { name: 'Rules (2)' }).getByRole('row', {
    name: /tool "brief"/,
  })
  // 24-hour, with the date in front only when the ten minutes end after midnight.
  await expect(rule.getByRole('cell').nth(2)).toHaveText(/^(\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d$/)
  await shot(page, 'clients-rule-until')
  await rule.getByRole('button', { name: 'Remove rule: tool "brief", blocked' }).click()
  await expect(page.getByRole('region', { name: 'Rules (1)' })).toBeVisible()
})

test('a read-only token made in Settings admits a dashboard that cannot write', async () => {
  await page.getByRole('tab', { name: 'Settings' }).click()
  const section = page.getByRole('region', { name: 'Named tokens' })
  await section.getByRole('button', { name: 'Generate a named token' }).click()
  await section.getByRole('textbox', { name: 'Token name' }).fill('wall')
  await section.getByRole('button', { name: 'Add token' }).click()
  await expect(section.getByText('Added the read-only token "wall"')).toBeVisible()
  await page.screenshot({ path: test.info().outputPath('settings-tokens.png'), fullPage: true })
  await test.info().attach('settings-tokens', {
    path: test.info().outputPath('settings-tokens.png'),
    contentType: 'image/png',
  })
  const saved = JSON.parse(readFileSync(headless.configPath, 'utf8')) as {
    server: { tokens: Array<{ token: string; name: string; readOnly: boolean }> }
  }
  const [wall] = saved.server.tokens
  expect(wall).toMatchObject({ name: 'wall', readOnly: true })
  await expect(section.getByText(wall!.token)).toHaveCount(0)

  // The tool from the first step came without a token: the first token turned it away.
  expect(await tool!.closed).toEqual({ code: 1008, reason: 'token no longer valid' })
  const dashboard = await TestClient.connect(`${wsUrl}/ws?client=dashboard&token=${wall!.token}`)
  expect((await dashboard.nextMessage('hello')).readOnly).toBe(true)
  expect(await write(dashboard, 3)).toBe('FORBIDDEN')
  await page.getByRole('tab', { name: 'Clients' }).click()
  await expect(page.getByRole('row').filter({ hasText: 'dashboard' })).toContainText('token: wall')
  await dashboard.close()
})
