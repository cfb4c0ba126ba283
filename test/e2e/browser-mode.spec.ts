import { expect, test, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { HeadlessProcess } from '../helpers/headless-process'
import { Instrument } from '../helpers/instrument'
import { SocatPair } from '../helpers/socat-pair'
import { TestClient } from '../helpers/ws-client'
import { shot } from './shot'

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
  // Opened by the click below, not by auto-open racing it.
  await form.getByRole('checkbox', { name: 'Open automatically at start' }).uncheck()
  await form.getByRole('button', { name: 'Add port' }).click()
  const card = page.getByRole('article', { name: 'Port meter' })
  await expect(card.getByRole('status', { name: 'State: Closed' })).toBeVisible()
  await card.getByRole('button', { name: 'Open', exact: true }).click()
  // The badge, by its name: the Open button's text cannot satisfy this.
  await expect(card.getByRole('status', { name: 'State: Open' })).toBeVisible()
  await expect(card.getByText(`${wsUrl}/ports/meter`)).toBeVisible()
  await shot(page, 'ports')
})

test('the instrument writes and the lines appear in the stream view', async () => {
  instrument = await Instrument.open(pty.b)
  await page.getByRole('tab', { name: 'Stream' }).click()
  await page.getByRole('combobox', { name: 'Port' }).selectOption('meter')
  await instrument.write('mass=12.500 g\nmass=12.501 g\n')
  const list = page.getByRole('list', { name: 'Data of meter' })
  await expect(list.getByText('mass=12.500 g')).toBeVisible()
  await expect(list.getByText('mass=12.501 g')).toBeVisible()
  await shot(page, 'stream-text')
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
  const row = page
    .getByRole('list', { name: 'Data of meter' })
    .getByRole('listitem')
    .filter({ hasText: '41 42 1B' })
    .first()
  await expect(row).toBeVisible()
  // Beside the hex, the same bytes as ASCII (the line ending is removed, ESC shows as ".").
  await expect(row.getByLabel('as ASCII')).toHaveText('AB.')
  await shot(page, 'stream-hex')
  await page.getByRole('button', { name: 'Text' }).click()
})

test('saved lines carry the date and time', async () => {
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Save shown lines' }).click()
  const lines = readFileSync(await (await download).path(), 'utf8')
    .trimEnd()
    .split('\n')
  expect(lines.length).toBeGreaterThanOrEqual(3)
  for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} (rx|tx) /)
  expect(lines).toContainEqual(expect.stringMatching(/ rx mass=12\.500 g$/))
})

test('saved commands: set up in the port form, kept in the settings, sent with one click', async () => {
  await page.getByRole('tab', { name: 'Ports' }).click()
  await page
    .getByRole('article', { name: 'Port meter' })
    .getByRole('button', { name: 'Edit' })
    .click()
  const form = page.getByRole('form', { name: 'Edit port meter' })
  const commands = [
    ['Identify', '*IDN?', 'text'],
    ['Measure', 'MEAS?', 'text'],
    ['Stop', '03', 'hex'],
  ] as const
  for (const [i, [label, data, format]] of commands.entries()) {
    await form.getByRole('button', { name: 'Add command' }).click()
    await form.getByRole('textbox', { name: `Command ${i + 1} label` }).fill(label)
    await form.getByRole('textbox', { name: `Command ${i + 1} data` }).fill(data)
    await form.getByRole('combobox', { name: `Command ${i + 1} format` }).selectOption(format)
  }
  await form.getByRole('button', { name: 'Save port' }).click()
  await expect(page.getByText('meter was saved')).toBeVisible()
  const saved = JSON.parse(readFileSync(headless.configPath, 'utf8')) as {
    ports: Array<{ commands: unknown }>
  }
  expect(saved.ports[0]!.commands).toEqual(
    commands.map(([label, data, format]) => ({ label, data, format })),
  )
  const card = page.getByRole('article', { name: 'Port meter' })
  await expect(card.getByRole('status', { name: 'State: Open' })).toBeVisible()

  await page.getByRole('tab', { name: 'Stream' }).click()
  const buttons = page.getByRole('group', { name: 'Saved commands of meter' })
  await buttons.getByRole('button', { name: 'Identify' }).click()
  await instrument.waitForLine('*IDN?')
  await buttons.getByRole('button', { name: 'Stop' }).click()
  await expect(buttons.getByText('Sent Stop (1 byte)')).toBeVisible()
  await expect.poll(() => instrument.bytes().at(-1)).toBe(0x03)
  await shot(page, 'stream-saved-commands')
})

test('a reconnecting port shows no Open button, and a write says it is reconnecting', async () => {
  await pty.unplug()
  const toolbar = page.getByRole('tabpanel')
  await expect(toolbar.getByRole('status', { name: 'State: Reconnecting' })).toBeVisible()
  await expect(toolbar.getByRole('button', { name: 'Open', exact: true })).toHaveCount(0)
  await expect(toolbar.getByRole('button', { name: 'Stop reconnecting' })).toBeVisible()
  await page.getByRole('textbox', { name: 'Command to send' }).fill('TARE')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(page.getByRole('form', { name: 'Send to meter' }).getByRole('status')).toHaveText(
    /^port "meter" is reconnecting, not open: its device is unplugged or busy/,
  )
  await shot(page, 'stream-reconnecting')
  await pty.plug()
  await expect(toolbar.getByRole('status', { name: 'State: Open' })).toBeVisible()
  await instrument.close()
  instrument = await Instrument.open(pty.b)
})

test('a ws client connects, appears under Clients, and is disconnected with the button', async () => {
  const tool = await TestClient.connect(`${wsUrl}/ws`, {
    headers: { 'user-agent': 'lab-script/2.1' },
  })
  const { clientId } = await tool.nextMessage('hello')
  await page.getByRole('tab', { name: 'Clients' }).click()
  await expect(page.getByText('lab-script/2.1')).toBeVisible()
  const row = page.getByRole('row').filter({ hasText: 'lab-script/2.1' })
  // 24-hour, as in the Stream view (no "PM"); the counters say whose messages they count.
  await expect(row.getByRole('cell').nth(3)).toHaveText(/^\d\d:\d\d:\d\d$/)
  await expect(
    page.getByRole('columnheader', { name: 'Messages from / to the tool' }),
  ).toBeVisible()
  await shot(page, 'clients')
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
  await shot(page, 'clients-refused')
  await allow.click()
  // The words of this origin's success: only then is it in the settings the server checks.
  await expect(
    page.getByText(`${origin} is allowed now: reload that page to connect`),
  ).toBeVisible()
  const admitted = await TestClient.connect(`${wsUrl}/ws`, { origin })
  await admitted.nextMessage('hello')
  await admitted.close()
})

test('a tool retrying is one refused row with a count, and Clear empties the list', async () => {
  const origin = 'http://retrying.lab:8080'
  for (let i = 0; i < 3; i++) {
    expect(await TestClient.refusal(`${wsUrl}/ws`, { origin })).toBe(403)
  }
  const rows = page.getByRole('row').filter({ hasText: origin })
  await expect(rows).toHaveCount(1)
  await expect(rows.getByRole('cell').nth(1)).toHaveText('3×')
  await expect(rows.getByRole('cell').first()).toHaveText(/^\d\d:\d\d:\d\d$/)
  await shot(page, 'clients-refused-grouped')
  await page.getByRole('button', { name: 'Clear', exact: true }).click()
  await expect(page.getByText('None so far.')).toBeVisible()
  await page.reload()
  await page.getByRole('tab', { name: 'Clients' }).click()
  await expect(
    page.getByText('None so far.'),
    'cleared in the bridge, not only on screen',
  ).toBeVisible()
})

test('a setting survives a restart of headless mode', async () => {
  await page.getByRole('tab', { name: 'Settings' }).click()
  await page.getByRole('textbox', { name: 'Max clients' }).fill('17')
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByRole('status').filter({ hasText: /saved/i }).first()).toBeVisible()
  await shot(page, 'settings')
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
  await shot(page, 'connect')
})
