import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { createBridgeStandIn } from './bridge-stand-in'
import { demoBridge } from './demo-data'
import { startPreviewServer } from './preview-server'

/**
 * Looks at every view in real Chromium: serves the built UI (`out/renderer`) with the
 * stand-in bridge behind a real admin WebSocket, then saves one PNG per view.
 * Run: npx vite build --config renderer/vite.config.ts &&
 *      node --import tsx test/renderer/take-screenshots.ts
 */
const outDir = join('test-results', 'renderer-screenshots')
await mkdir(outDir, { recursive: true })
const { bridge, stop } = demoBridge()
const server = await startPreviewServer('out/renderer', bridge, 'preview-admin-token-0123456789')
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
})
const problems: string[] = []
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 700 } })
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
  page.on('pageerror', (e) => problems.push(e.message))
  const shot = (name: string) => page.screenshot({ path: join(outDir, `${name}.png`) })

  await page.goto(server.uiUrl)
  await page.getByRole('article', { name: 'Port sim-demo' }).waitFor()
  if (page.url().includes('adminToken')) problems.push(`token left in URL: ${page.url()}`)
  await shot('ports')

  await page.getByRole('button', { name: 'Add port' }).click()
  await page.getByRole('button', { name: 'Add port' }).click()
  await page.getByText('path: path is required').waitFor()
  await shot('ports-add-form-errors')
  await page.getByRole('button', { name: 'Cancel' }).click()

  await page.getByRole('tab', { name: 'Stream' }).click()
  await page.getByText(/[\d,]+ lines shown/).waitFor()
  await page.getByRole('textbox', { name: 'Command to send' }).fill('*IDN?')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await page.getByText('Sent 6 bytes to sim-demo').waitFor()
  await shot('stream-text')
  await page.getByRole('button', { name: 'Hex', exact: true }).click()
  await page.getByRole('button', { name: 'Pause' }).click()
  await shot('stream-hex-paused')

  await page.getByRole('tab', { name: 'Clients' }).click()
  await page.getByRole('button', { name: 'Allow this origin: http://evil.example' }).waitFor()
  await shot('clients')

  await page.getByRole('tab', { name: 'Settings' }).click()
  await page.getByRole('radio', { name: /The lab network/ }).check()
  await page.getByRole('button', { name: 'Save settings' }).click()
  await page.getByText(/server\.token: the lab network requires a token/).waitFor()
  await shot('settings-lan-needs-token')

  await page.getByRole('tab', { name: 'Connect' }).click()
  await page.getByRole('region', { name: 'Python (websockets)' }).waitFor()
  await shot('connect')

  // Keyboard: arrows move between tabs, and the focus ring is visible.
  await page.getByRole('tab', { name: 'Connect' }).focus()
  await page.keyboard.press('Home')
  await page.keyboard.press('ArrowRight')
  await page.getByRole('tab', { name: 'Stream', selected: true }).waitFor()
  await page.keyboard.press('Tab')
  await shot('keyboard-focus')

  // A first run: no ports yet, the simulated device offered.
  const empty = createBridgeStandIn('web')
  const firstRun = await startPreviewServer('out/renderer', empty, 'first-run-admin-token-0123')
  try {
    await page.goto(firstRun.uiUrl)
    await page.getByRole('button', { name: 'Add simulated device' }).waitFor()
    await shot('first-run')
    await page.getByRole('button', { name: 'Add simulated device' }).click()
    await page.getByText('sim-demo is open: its readings appear under Stream').waitFor()
    await shot('first-run-sim-added')
  } finally {
    await firstRun.close()
  }
  await page.goto(server.uiUrl.replace(/\?.*/, ''))
  await page.getByRole('article', { name: 'Port sim-demo' }).waitFor()

  // The status bar shows the admin link dropping and coming back.
  await server.close()
  await page.getByText(/Admin: connection lost, retrying in/).waitFor()
  await shot('status-bar-reconnecting')
} finally {
  stop()
  await browser.close()
  await server.close().catch(() => {})
}
console.log(`screenshots in ${outDir}`)
if (problems.length > 0) {
  console.error(`problems seen in the page:\n${problems.join('\n')}`)
  process.exitCode = 1
}
