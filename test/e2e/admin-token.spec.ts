import { expect, test, type Page } from '@playwright/test'
import { rmSync, statSync } from 'node:fs'
import { HeadlessProcess } from '../helpers/headless-process'
import { shot } from './shot'
import { freePort } from '../helpers/free-port'

// Browser mode across restarts of headless mode: one tab kept open, as a technician would.
test.describe.configure({ mode: 'serial' })

let headless: HeadlessProcess
let page: Page
let firstUrl = ''

const uiLine = async (h: HeadlessProcess) => (await h.line(/^ui: (\S+)$/, 120_000))[1]!
const tokenFile = () => `${headless.configPath}.admin-token`

test.beforeAll(async ({ browser }) => {
  // A fixed port, so the address after a restart is the same one.
  const port = await freePort()
  headless = HeadlessProcess.start({ server: { port } }, ['--ui'])
  firstUrl = await uiLine(headless)
  page = await browser.newPage()
})

test.afterAll(async () => {
  await page?.close()
  await headless?.stop()
})

test('the ui: address stays the same across restarts, and an open tab reconnects by itself', async () => {
  await page.goto(firstUrl)
  await expect(page.getByText('Admin: connected')).toBeVisible()
  expect(statSync(tokenFile()).mode & 0o777, 'the kept token is readable by its owner only').toBe(
    0o600,
  )
  headless = await headless.restart()
  expect(await uiLine(headless)).toBe(firstUrl)
  // The tab was not reloaded: it lost the connection and came back with the token it had.
  await expect(page.getByText('Admin: connected')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByRole('alert')).toHaveCount(0)
  await shot(page, 'admin-after-restart')
})

test('a refused token says the link is no longer valid; a new #adminToken is used without a reload', async () => {
  // A new token: as if the token file was deleted on the lab PC.
  rmSync(tokenFile())
  headless = await headless.restart()
  const nextUrl = await uiLine(headless)
  expect(nextUrl).not.toBe(firstUrl)
  await expect(page.getByRole('alert')).toContainText(
    "This link's admin token is no longer valid.",
    { timeout: 30_000 },
  )
  await expect(page.getByText('Admin: token refused')).toBeVisible()
  await shot(page, 'admin-token-refused')

  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true))
  await page.evaluate((hash) => (window.location.hash = hash), new URL(nextUrl).hash)
  await expect(page.getByText('Admin: connected')).toBeVisible()
  await expect(page.getByRole('alert')).toHaveCount(0)
  expect(
    await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
  ).toBe(true)
  expect(page.url()).not.toContain('adminToken')
  await shot(page, 'admin-new-token')
})
