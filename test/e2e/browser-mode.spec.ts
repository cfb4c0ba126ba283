import { expect, test, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { HeadlessProcess } from '../helpers/headless-process'
import { Instrument } from '../helpers/instrument'
import { SocatPair } from '../helpers/socat-pair'
import { TestClient } from '../helpers/ws-client'

// One headless bridge and one pty for the whole story, told in order, as a technician would.
test.describe.configure({ mode: 'serial' })

const pty = new SocatPair('e2e')
let headless: HeadlessProcess
let uiUrl: string
let wsUrl: string
let instrument: Instrument
let page: Page
const ADMIN_TOKEN = 'e2e-admin-token-0123456789'

async function startHeadless(config: object | string): Promise<void> {
  headless = HeadlessProcess.start(config, ['--ui'])
  wsUrl = await headless.url()
  uiUrl = (await headless.line(/^ui: (\S+)$/, 120_000))[1]!
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) })
  await test
    .info()
    .attach(name, { path: test.info().outputPath(`${name}.png`), contentType: 'image/png' })
}

test.beforeAll(async ({ browser }) => {
  await pty.plug()
  await startHeadless({ server: { port: 0, adminToken: ADMIN_TOKEN } })
  page = await browser.newPage()
})

test.afterAll(async () => {
  await page?.close()
  await instrument?.close()
  await headless?.stop()
  await pty.dispose()
})

test('the printed ui: URL opens the UI already authorised', async () => {
  expect(uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/app\/#adminToken=/)
  await page.goto(uiUrl)
  await expect(page.getByText('Admin: connected')).toBeVisible()
  await expect(page.getByText(/listening/)).toBeVisible()
  expect(page.url()).not.toContain(ADMIN_TOKEN)
})

test('add and open a port by clicking, with a path typed by hand', async () => {
  await page.getByRole('tab', { name: 'Ports' }).click()
  await page.getByRole('button', { name: 'Add port' }).click()
  const form = page.getByRole('form', { name: 'Add a port' })
  await form.getByRole('textbox', { name: 'Path' }).fill(pty.a)
  await form.getByRole('textbox', { name: 'ID' }).fill('meter')
  await form.getByRole('combobox', { name: 'Baud rate' }).fill('115200')
  await form.getByRole('button', { name: 'Add port' }).click()
  const card = page.getByRole('article', { name: 'Port meter' })
  await expect(card).toBeVisible()
  if (await card.getByRole('button', { name: 'Open', exact: true }).isVisible()) {
    await card.getByRole('button', { name: 'Open', exact: true }).click()
  }
  await expect(card.getByText('Open', { exact: true })).toBeVisible()
  await expect(card.getByText(`${wsUrl}/ports/meter`)).toBeVisible()
  await shot('ports')
})

test('the instrument writes and the lines appear in the stream view', async () => {
  instrument = await Instrument.open(pty.b)
  await page.getByRole('tab', { name: 'Stream' }).click()
  await page.getByRole('combobox', { name: 'Port' }).selectOption('meter')
  await instrument.write('mass=12.500 g\nmass=12.501 g\n')
  const list = page.getByRole('list', { name: 'Data of meter' })
  await expect(list.getByText('mass=12.500 g')).toBeVisible()
  await expect(list.getByText('mass=12.501 g')).toBeVisible()
  await shot('stream-text')
})

test('text typed in the send box reaches the instrument', async () => {
  await page.getByRole('textbox', { name: 'Command to send' }).fill('TARE')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await instrument.waitForLine('TARE')
  await expect(page.getByRole('list', { name: 'Data of meter' }).getByText('TARE')).toBeVisible()
})

test('hex view shows the bytes', async () => {
  // Line framing strips the line ending; an escape byte is data and shows in hex.
  await instrument.write(Buffer.from([0x41, 0x42, 0x1b, 0x0d, 0x0a]))
  await page.getByRole('button', { name: 'Hex' }).click()
  await expect(
    page.getByRole('list', { name: 'Data of meter' }).getByText('41 42 1b').first(),
  ).toBeVisible()
  await shot('stream-hex')
  await page.getByRole('button', { name: 'Text' }).click()
})

test('a ws client connects, appears under Clients, and is disconnected with the button', async () => {
  const tool = await TestClient.connect(`${wsUrl}/ws`, {
    headers: { 'user-agent': 'lab-script/2.1' },
  })
  const { clientId } = await tool.nextMessage('hello')
  await page.getByRole('tab', { name: 'Clients' }).click()
  await expect(page.getByText('lab-script/2.1')).toBeVisible()
  await shot('clients')
  await page.getByRole('button', { name: `Disconnect ${clientId}` }).click()
  expect((await tool.closed).code).toBe(1008)
  await expect(page.getByText('lab-script/2.1')).toHaveCount(0)
})

test('a refused origin appears, and "Allow this origin" lets it in', async () => {
  const origin = 'http://dashboard.lab:3000'
  expect(await TestClient.refusal(`${wsUrl}/ws`, { origin })).toBe(403)
  await page.getByRole('tab', { name: 'Clients' }).click()
  const allow = page.getByRole('button', { name: `Allow this origin: ${origin}` })
  await expect(allow).toBeVisible()
  await shot('clients-refused')
  await allow.click()
  await expect(page.getByRole('status').filter({ hasText: /allow/i }).first()).toBeVisible()
  const admitted = await TestClient.connect(`${wsUrl}/ws`, { origin })
  await admitted.nextMessage('hello')
  await admitted.close()
})

test('a setting survives a restart of headless mode', async () => {
  await page.getByRole('tab', { name: 'Settings' }).click()
  await page.getByRole('textbox', { name: 'Max clients' }).fill('17')
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByRole('status').filter({ hasText: /saved/i }).first()).toBeVisible()
  await shot('settings')
  const saved = JSON.parse(readFileSync(headless.configPath, 'utf8')) as {
    server: { maxClients: number }
  }
  expect(saved.server.maxClients).toBe(17)

  // Restart on the same file; the port number is kept by writing it back as it is now.
  const config = readFileSync(headless.configPath, 'utf8')
  await headless.stop()
  await startHeadless(config)
  await page.goto(uiUrl)
  await page.getByRole('tab', { name: 'Settings' }).click()
  await expect(page.getByRole('textbox', { name: 'Max clients' })).toHaveValue('17')
  await page.getByRole('tab', { name: 'Ports' }).click()
  await expect(page.getByRole('article', { name: 'Port meter' })).toBeVisible()
})

test('connect panel shows copy-ready snippets for the selected port', async () => {
  await page.getByRole('tab', { name: 'Connect' }).click()
  await expect(page.getByText(`${wsUrl}/ports/meter`).first()).toBeVisible()
  await shot('connect')
})
