import { expect, test, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { HeadlessProcess } from '../helpers/headless-process'
import { PortHolder } from '../helpers/port-holder'
import { ScriptedInstrument } from '../helpers/scripted-instrument'
import { SocatPair } from '../helpers/socat-pair'
import { TestClient } from '../helpers/ws-client'
import { shot } from './shot'

// Issue 8 as a technician meets it in the browser: an instrument that streams readings and
// answers questions, plotted, polled, previewed and released, through a real pty.
test.describe.configure({ mode: 'serial' })

const pty = new SocatPair('e2e-plot')
let headless: HeadlessProcess
let wsUrl: string
let instrument: ScriptedInstrument
let page: Page

/** The channel colours of the Plot view: T first, RH second, V (the poll) third. */
const COLORS = { T: [0x1f, 0x5f, 0xbf], RH: [0xd5, 0x5e, 0x00], V: [0x00, 0x9e, 0x73] } as const

/** Pixels of the plot's canvas drawn in about this colour (the curve, antialiased). */
async function curvePixels(rgb: readonly number[]): Promise<number> {
  return page.locator('.plot-chart canvas').evaluate((canvas: HTMLCanvasElement, [r, g, b]) => {
    const ctx = canvas.getContext('2d')!
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height)
    let n = 0
    for (let i = 0; i < data.length; i += 4) {
      const d = Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!)
      if (d < 60 && data[i + 3]! > 200) n++
    }
    return n
  }, rgb)
}

const readout = () => page.getByRole('table', { name: 'Channels of meter' })
const readoutRow = (channel: string) => readout().getByRole('row').filter({ hasText: channel })
const card = () => page.getByRole('article', { name: 'Port meter' })

test.beforeAll(async ({ browser }) => {
  await pty.plug()
  instrument = await ScriptedInstrument.open(
    pty.b,
    (line) => (line === 'MEAS?' ? 'V=12.50' : line === '*IDN?' ? 'ACME,Meter,1,2' : undefined),
    { delayMs: 20 },
  )
  // A reading every 50 ms, as climate loggers print them: parsed by keyValue.
  instrument.stream(50, (n) => {
    const t = (22 + Math.sin(n / 8)).toFixed(2)
    const rh = (45 + 2 * Math.cos(n / 8)).toFixed(1)
    return `T=${t},RH=${rh}`
  })
  headless = HeadlessProcess.start(
    {
      server: { port: 0 },
      ports: [{ id: 'meter', path: pty.a, baudRate: 115200, parse: { mode: 'keyValue' } }],
    },
    ['--ui'],
  )
  wsUrl = await headless.url()
  const uiUrl = (await headless.line(/^ui: (\S+)$/, 120_000))[1]!
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
  await page.goto(uiUrl)
  await expect(page.getByText('Admin: connected')).toBeVisible()
})

test.afterAll(async () => {
  await page?.close()
  await instrument?.close()
  await headless?.stop()
  await pty.dispose()
})

test('the Plot view draws the curves of a port whose frames parse, with a readout', async () => {
  await page.getByRole('tab', { name: 'Plot' }).click()
  await page.getByRole('combobox', { name: 'Port' }).selectOption('meter')
  await expect(readoutRow('T').getByRole('cell').first()).toHaveText(/^2[123]\.\d+$/)
  await expect(readoutRow('RH').getByRole('cell').first()).toHaveText(/^4[3-7](\.\d+)?$/)
  await expect.poll(() => curvePixels(COLORS.T), { message: 'T drawn' }).toBeGreaterThan(100)
  await expect.poll(() => curvePixels(COLORS.RH), { message: 'RH drawn' }).toBeGreaterThan(100)
  await expect(page.getByRole('img', { name: 'Plot of meter over 10 s' })).toBeVisible()
  await shot(page, 'plot-10s')

  await readoutRow('RH').getByRole('checkbox').uncheck()
  await expect.poll(() => curvePixels(COLORS.RH), { message: 'RH hidden' }).toBe(0)
  expect(await curvePixels(COLORS.T)).toBeGreaterThan(100)
  await page.getByRole('button', { name: '1 min' }).click()
  await expect(page.getByRole('img', { name: 'Plot of meter over 1 min' })).toBeVisible()
  await shot(page, 'plot-1min-rh-hidden')
})

test('pause holds what is shown while readings go on; resume catches up', async () => {
  const samples = readoutRow('T').getByRole('cell').last()
  const stream = await TestClient.connect(`${wsUrl}/ports/meter`)
  try {
    await page.getByRole('button', { name: 'Pause' }).click()
    await expect(page.getByText(/^Paused at /)).toBeVisible()
    const readings = (n: number, from: number) =>
      stream.next((r) => (r.data.startsWith('T=') ? true : undefined), { from: from + n - 1 })
    // The readout follows the chart a few times a second: 10 readings on, it shows the pause.
    await readings(10, stream.received.length)
    const held = await samples.textContent()
    // 20 more readings reach a tool while the view is paused.
    await readings(20, stream.received.length)
    await expect(samples).toHaveText(held!)
    await shot(page, 'plot-paused')
    await page.getByRole('button', { name: 'Resume' }).click()
    await expect(samples).not.toHaveText(held!)
  } finally {
    await stream.close()
  }
})

test('"Export shown as CSV" downloads the shown channels of the shown span', async () => {
  await page.getByRole('button', { name: '10 s' }).click()
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export shown as CSV' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^meter-plot-\d{8}-\d{6}\.csv$/)
  const [head, ...rows] = readFileSync((await file.path())!, 'utf8')
    .trim()
    .split('\n')
  // One reading per 5 ms bucket gives one column; two in one bucket (a busy machine bunching
  // the writes) give mean, min and max. RH is hidden, so it is left out either way.
  expect(['time,T', 'time,T mean,T min,T max']).toContain(head)
  expect(rows.length).toBeGreaterThan(20)
  for (const line of rows) {
    const [time, ...values] = line.split(',')
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/)
    expect(values).toHaveLength(head === 'time,T' ? 1 : 3)
    for (const v of values.map(Number)) expect(v >= 21 && v <= 23, `T ${v} in 21..23`).toBe(true)
  }
  await expect(page.getByText(/^Saved [\d,]+ rows.* to meter-plot-/)).toBeVisible()
  await readoutRow('RH').getByRole('checkbox').check()
})

test('the Polls section: "Try it" asks the instrument once and shows its reply', async () => {
  await page.getByRole('tab', { name: 'Ports' }).click()
  await card().getByRole('button', { name: 'Edit' }).click()
  const form = page.getByRole('form', { name: 'Edit port meter' })
  await form.getByRole('button', { name: 'Add poll' }).click()
  const poll = form.getByRole('group', { name: 'Poll 1' })
  await poll.getByRole('textbox', { name: 'Name' }).fill('volt')
  await poll.getByRole('textbox', { name: 'Command' }).fill('MEAS?')
  await poll.getByRole('textbox', { name: 'Every (ms)' }).fill('5')
  await expect(
    poll.getByText('polls[0].intervalMs: intervalMs must be at least 20 ms'),
  ).toBeVisible()
  await poll.getByRole('textbox', { name: 'Every (ms)' }).fill('200')
  await poll.getByRole('textbox', { name: 'Reply matches' }).fill('^V=')
  await poll.getByRole('button', { name: 'Try it' }).click()
  // The instrument streams meanwhile: `expect` picks its answer out of the readings.
  await expect(poll.getByText(/^Reply in [\d.]+ ms: "V=12\.50" → V = 12\.5$/)).toBeVisible()
  expect(instrument.commands('MEAS?')).toHaveLength(1)
  await poll.scrollIntoViewIfNeeded()
  await shot(form.getByRole('group', { name: 'Polls' }), 'polls-try-it')
})

test('the Numbers section previews the last 5 frames with the setting as typed', async () => {
  const form = page.getByRole('form', { name: 'Edit port meter' })
  const numbers = form.getByRole('group', { name: 'Numbers' })
  await numbers.scrollIntoViewIfNeeded()
  const table = numbers.getByRole('table', { name: 'Numbers preview of meter' })
  await expect(table.getByRole('columnheader')).toHaveText(['Frame', 'T', 'RH'])
  await expect(table.getByRole('row')).toHaveCount(6)
  await expect(table.getByRole('row').nth(1).getByRole('cell')).toHaveText([
    /^T=\d+\.\d\d,RH=\d+\.\d$/,
    /^\d+\.\d+$/,
    /^\d+(\.\d)?$/,
  ])
  await shot(numbers, 'numbers-preview')
  await numbers.getByRole('textbox', { name: 'Units' }).fill('T=°C, RH=%')
  await expect(table.getByRole('row').nth(1).getByRole('cell').nth(1)).toHaveText(/ °C$/)

  await form.getByRole('button', { name: 'Save port' }).click()
  await expect(page.getByText('meter was saved')).toBeVisible()
  await expect.poll(() => instrument.commands('MEAS?').length).toBeGreaterThan(3)
  await page.getByRole('tab', { name: 'Plot' }).click()
  await expect(readoutRow('T').getByRole('cell').first()).toHaveText(/ °C$/)
  await expect(readoutRow('V').getByRole('cell').first()).toHaveText('12.5')
  await expect.poll(() => curvePixels(COLORS.V), { message: 'the poll drawn' }).toBeGreaterThan(20)
  await shot(page, 'plot-with-poll')
})

test('Release for… frees the device for another program; Open takes it back', async () => {
  await page.getByRole('tab', { name: 'Ports' }).click()
  await card().getByRole('button', { name: 'Release for…' }).click()
  await card()
    .getByRole('group', { name: 'Release meter for' })
    .getByRole('button', { name: '1 min' })
    .click()
  await expect(card().getByText(/^Released to another program until \S+/)).toBeVisible()
  await expect(card().locator('.badge')).toHaveText('Released')
  await shot(card(), 'port-released')

  // Another program can now open and lock the device, as the Arduino IDE would.
  const other = await PortHolder.hold(pty.a)
  await other.release()
  const polled = instrument.commands('MEAS?').length
  await card().getByRole('button', { name: 'Open', exact: true }).click()
  await expect(card().locator('.badge')).toHaveText('Open')
  await expect(card().getByText(/^Released to another program/)).toHaveCount(0)
  await expect.poll(() => instrument.commands('MEAS?').length).toBeGreaterThan(polled + 2)
  await shot(card(), 'port-reopened')
})
