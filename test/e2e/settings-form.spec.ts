import { expect, test, type Page } from '@playwright/test'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import type { SettingsInput } from '../../common/settings-schema'
import { HeadlessProcess } from '../helpers/headless-process'
import { shot } from './shot'
import { freePort } from '../helpers/free-port'

// The Settings view must always show the settings in force and say truthfully what happened.
test.describe.configure({ mode: 'serial' })

let headless: HeadlessProcess
let page: Page
let port = 0

const onDisk = () =>
  JSON.parse(readFileSync(headless.configPath, 'utf8')) as Required<SettingsInput>
const status = () =>
  page.getByRole('form', { name: 'Server' }).locator('[role="status"].action-message')

test.beforeAll(async ({ browser }) => {
  // A fixed port: a port 0 kept after a failed change would be another port after the restart.
  port = await freePort()
  headless = HeadlessProcess.start({ server: { port } }, ['--ui'])
  await headless.url()
  const ui = (await headless.line(/^ui: (\S+)$/, 120_000))[1]!
  page = await browser.newPage()
  await page.goto(ui)
  await expect(page.getByText('Admin: connected')).toBeVisible()
  await page.getByRole('tab', { name: 'Settings' }).click()
})

test.afterAll(async () => {
  await page?.close()
  await headless?.stop()
})

test('after an import the form shows the imported values, and a later Save keeps them', async () => {
  await page.getByRole('textbox', { name: 'Client buffer (KiB)' }).fill('512')
  const file = { server: { port, maxClients: 33 }, ports: [] }
  await page.getByLabel('Import settings file').setInputFiles({
    name: 'lab.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(file)),
  })
  await expect(page.getByText('Imported lab.json: 0 ports')).toBeVisible()
  await expect(page.getByRole('textbox', { name: 'Max clients' })).toHaveValue('33')
  await expect(page.getByRole('textbox', { name: 'Client buffer (KiB)' })).toHaveValue('512')
  await expect(page.getByText(/The settings in force changed while you were editing/)).toBeVisible()
  await shot(page, 'settings-after-import')
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(status()).toHaveText('Settings saved')
  expect(onDisk().server.maxClients, 'the import was not reverted').toBe(33)
  expect(onDisk().server.clientBufferBytes).toBe(512 * 1024)
})

test('a save that restarts the server says it was saved, not "Lost the connection"', async () => {
  await page.getByRole('textbox', { name: 'Heartbeat (seconds)' }).fill('25')
  await expect(page.getByText(/Saving restarts the server/)).toBeVisible()
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(status()).toHaveText('Settings saved; the server restarted to apply them', {
    timeout: 30_000,
  })
  await expect(page.getByText(/Lost the connection/)).toHaveCount(0)
  await expect(page.getByRole('textbox', { name: 'Heartbeat (seconds)' })).toHaveValue('25')
  await shot(page, 'settings-saved-across-restart')
  expect(onDisk().server.heartbeatSeconds).toBe(25)
})

test('a long server error wraps in the status bar, and Admin stays on screen', async () => {
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  try {
    const busy = (taken.address() as AddressInfo).port
    await page.getByRole('textbox', { name: 'Port number' }).fill(String(busy))
    await page.getByRole('button', { name: 'Save settings' }).click()
    const bar = page.getByRole('contentinfo')
    await expect(bar).toContainText(/could not be used \(.*in use.*\); kept as it was/, {
      timeout: 30_000,
    })
    const admin = bar.getByRole('status').filter({ hasText: 'Admin: connected' })
    await expect(admin).toBeVisible()
    const box = await admin.boundingBox()
    expect(box!.x + box!.width, 'Admin is inside the window').toBeLessThanOrEqual(
      page.viewportSize()!.width,
    )
    await expect(bar.getByText(/kept as it was/)).toBeInViewport({ ratio: 1 })
    await shot(page, 'status-bar-long-error')
  } finally {
    await new Promise((resolve) => taken.close(resolve))
  }
})

test('a hand edit of the config file shows in the open page at once, with a notice', async () => {
  writeFileSync(
    headless.configPath,
    JSON.stringify({ ...onDisk(), server: { ...onDisk().server, maxClients: 44 } }, null, 2),
  )
  await expect(page.getByRole('textbox', { name: 'Max clients' })).toHaveValue('44')
  await expect(page.getByRole('alert')).toContainText('config.json was changed on disk: loaded it.')
  await shot(page, 'settings-hand-edit')
})
