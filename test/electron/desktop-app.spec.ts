import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { WebSocket } from 'ws'

/**
 * The same path as the browser end-to-end suite, in the real desktop app: open it, add the
 * simulated port, watch its data, send a command, see and disconnect a tool, change settings,
 * and find them again after a restart. Elements are found by role and label.
 */

const projectRoot = resolve(import.meta.dirname, '../..')

interface Launched {
  app: ElectronApplication
  page: Page
}

/** Starts the built app (package.json `main` → out/main/index.js) on its own profile. */
async function launch(userData: string): Promise<Launched> {
  const app = await _electron.launch({
    args: [projectRoot],
    cwd: projectRoot,
    env: { ...process.env, SERIAL_BRIDGE_USER_DATA: userData, NODE_ENV: 'production' },
    timeout: 30_000,
  })
  const page = await app.firstWindow()
  await page.waitForLoadState('domcontentloaded')
  return { app, page }
}

test.describe.configure({ mode: 'serial' })

test.describe('Serial Bridge desktop app', () => {
  const userData = mkdtempSync(join(tmpdir(), 'sb-electron-'))
  let launched: Launched

  test.beforeAll(async () => {
    // Port 0: any free port, so the suite never collides with a running Serial Bridge.
    writeFileSync(
      join(userData, 'settings.json'),
      JSON.stringify({ settings: { server: { port: 0 } }, preferences: { closeToTray: true } }),
    )
    launched = await launch(userData)
  })

  test.afterAll(async () => {
    await launched?.app.close()
    rmSync(userData, { recursive: true, force: true })
  })

  const shot = async (name: string) => {
    await launched.page.screenshot({ path: test.info().outputPath(`${name}.png`) })
  }

  test('opens one secure 1024×700 window showing the UI from app://', async () => {
    const { app, page } = launched
    await expect(page).toHaveTitle('Serial Bridge')
    expect(page.url()).toBe('app://bridge/index.html')
    await expect(page.getByRole('tablist', { name: 'Views' })).toBeVisible()

    const shell = await app.evaluate(({ BrowserWindow }) => {
      const all = BrowserWindow.getAllWindows()
      return { count: all.length, size: all[0]!.getContentSize() }
    })
    expect(shell).toEqual({ count: 1, size: [1024, 700] })

    // What contextIsolation, sandbox and nodeIntegration off look like from the page.
    const seen = await page.evaluate(() => ({
      bridge: (window as unknown as { bridge?: { kind: string } }).bridge?.kind,
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      webview: document.createElement('webview') instanceof HTMLUnknownElement,
      popup: window.open('https://example.com/') === null,
    }))
    expect(seen).toEqual({
      bridge: 'electron',
      require: 'undefined',
      process: 'undefined',
      webview: true,
      popup: true,
    })

    await page.evaluate(() => {
      window.location.href = 'https://example.com/'
    })
    await expect(page.getByRole('tablist', { name: 'Views' })).toBeVisible()
    expect(page.url()).toBe('app://bridge/index.html')
    await shot('01-start')
  })

  test('adds the simulated port by clicking and opens it', async () => {
    const { page } = launched
    await page.getByRole('tab', { name: 'Ports' }).click()
    await page.getByRole('button', { name: 'Add port' }).first().click()
    const form = page.getByRole('form', { name: 'Add a port' })
    await form.getByLabel('Path').fill('sim:demo')
    await form.getByRole('button', { name: 'Add port' }).click()

    const card = page.getByRole('article', { name: 'Port sim-demo' })
    await expect(card).toBeVisible()
    if (await card.getByRole('button', { name: 'Open' }).isVisible()) {
      await card.getByRole('button', { name: 'Open' }).click()
    }
    await expect(card.getByRole('button', { name: 'Close' })).toBeVisible()
    await expect(card.getByText(/ws:\/\/127\.0\.0\.1:\d+\/ports\/sim-demo/)).toBeVisible()
    await shot('02-ports')
  })

  test('shows the instrument readings live in the stream', async () => {
    const { page } = launched
    await page.getByRole('tab', { name: 'Stream' }).click()
    const list = page.getByRole('list', { name: 'Data of sim-demo' })
    await expect(
      list
        .getByRole('listitem')
        .filter({ hasText: /T=\d+\.\d+,RH=\d+\.\d/ })
        .first(),
    ).toBeVisible()
    await shot('03-stream')
  })

  test('sends a command from the send box and shows the answer', async () => {
    const { page } = launched
    const sendBox = page.getByRole('form', { name: 'Send to sim-demo' })
    await sendBox.getByLabel('Command to send').fill('*IDN?')
    await sendBox.getByRole('button', { name: 'Send' }).click()
    await expect(sendBox.getByRole('status')).toContainText('Sent 6 bytes to sim-demo')
    const list = page.getByRole('list', { name: 'Data of sim-demo' })
    await expect(list.getByText('SerialBridge,SimulatedInstrument').first()).toBeVisible()
    await shot('04-sent')
  })

  test('lists a connected tool and disconnects it with the button', async () => {
    const { page } = launched
    const status = await page.evaluate(() =>
      (
        window as unknown as { bridge: { getServerStatus(): Promise<{ url: string }> } }
      ).bridge.getServerStatus(),
    )
    const socket = new WebSocket(`${status.url}/ports/sim-demo`)
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    try {
      await page.getByRole('tab', { name: 'Clients' }).click()
      await expect(page.getByRole('heading', { name: 'Connected tools (1)' })).toBeVisible()
      await expect(page.getByRole('cell', { name: /\/ports\/sim-demo/ })).toBeVisible()
      await shot('05-clients')
      await page.getByRole('button', { name: /^Disconnect / }).click()
      await closed
      await expect(page.getByRole('heading', { name: 'Connected tools (0)' })).toBeVisible()
    } finally {
      socket.terminate()
    }
  })

  test('changes settings and preferences, which survive a restart', async () => {
    let { page } = launched
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByLabel('Max clients').fill('5')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await expect(page.getByRole('status').filter({ hasText: /saved/i }).first()).toBeVisible()
    const startMinimized = page.getByRole('checkbox', { name: 'Start minimized to the tray' })
    await expect(startMinimized).not.toBeChecked()
    const closeToTray = page.getByRole('checkbox', {
      name: 'Closing the window keeps the server running in the tray',
    })
    await closeToTray.uncheck()
    await expect(
      page.getByText(/closing the window keeps the server running in the tray is off/i),
    ).toBeVisible()
    await shot('06-settings')

    await launched.app.close()
    launched = await launch(userData)
    page = launched.page
    await page.getByRole('tab', { name: 'Settings' }).click()
    await expect(page.getByLabel('Max clients')).toHaveValue('5')
    await expect(
      page.getByRole('checkbox', {
        name: 'Closing the window keeps the server running in the tray',
      }),
    ).not.toBeChecked()
    await page.getByRole('tab', { name: 'Ports' }).click()
    await expect(page.getByRole('article', { name: 'Port sim-demo' })).toBeVisible()
  })

  test('hides to the tray on close while the preference is on', async () => {
    const { app, page } = launched
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page
      .getByRole('checkbox', { name: 'Closing the window keeps the server running in the tray' })
      .check()
    await expect(page.getByText(/keeps the server running in the tray is on/i)).toBeVisible()
    const visibleAfterClose = await app.evaluate(async ({ BrowserWindow }) => {
      const win = BrowserWindow.getAllWindows()[0]!
      const hidden = new Promise<void>((resolve) => win.once('hide', () => resolve()))
      win.close()
      await hidden
      return { exists: !win.isDestroyed(), visible: win.isVisible() }
    })
    expect(visibleAfterClose).toEqual({ exists: true, visible: false })
  })
})
