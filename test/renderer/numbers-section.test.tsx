import './dom-setup'
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { fireEvent, screen, within } from '@testing-library/react'
import type { StreamFrame } from '../../common/contract'
import type { PortSettingsInput } from '../../common/settings-schema'
import { validatePortSettings } from '../../common/validation'
import { createBridgeStandIn, portInfo, type BridgeStandIn } from './bridge-stand-in'
import { cleanup, renderApp } from './render-app'

afterEach(cleanup)

function port(input: PortSettingsInput) {
  const result = validatePortSettings(input)
  if (!result.ok) throw new Error(result.errors.join('; '))
  return portInfo(result.value, 'open')
}

const encoder = new TextEncoder()
function receive(bridge: BridgeStandIn, portId: string, lines: string[], extra = {}) {
  const frames: StreamFrame[] = lines.map((line, i) => ({
    port: portId,
    direction: 'rx',
    ts: Date.now() + i,
    data: encoder.encode(line),
    ...extra,
  }))
  bridge.emit('frames', { frames, dropped: 0 })
}

async function numbersOf(bridge: BridgeStandIn, id: string) {
  renderApp(bridge)
  const card = await screen.findByRole('article', { name: `Port ${id}` })
  fireEvent.click(within(card).getByRole('button', { name: 'Edit' }))
  const form = screen.getByRole('form', { name: `Edit port ${id}` })
  return { form, numbers: within(form).getByRole('group', { name: 'Numbers' }) }
}

const type = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } })
const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent))

describe('Numbers in the port form', () => {
  test('the preview reads the last 5 frames with the setting as typed, before it is saved', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [port({ path: '/dev/ttyUSB0', id: 'climate' })]
    const { numbers } = await numbersOf(bridge, 'climate')
    receive(bridge, 'climate', [
      'T=20.0,RH=40',
      'T=21.0,RH=41',
      'T=22.4,RH=45.2',
      'T:22.5 RH:45.3',
      'booting…',
      'T=22.6C,RH=45.4%',
      'T=22.7,RH=45.5',
    ])
    bridge.emit('frames', {
      frames: [{ port: 'climate', direction: 'tx', ts: Date.now(), data: encoder.encode('X=1') }],
      dropped: 0,
    })
    type(within(numbers).getByRole('combobox', { name: 'Read numbers as' }), 'keyValue')
    const table = await within(numbers).findByRole('table', { name: 'Numbers preview of climate' })
    assert.deepEqual(rowsOf(table), [
      ['Frame', 'T', 'RH'],
      ['T=22.4,RH=45.2', '22.4', '45.2'],
      ['T:22.5 RH:45.3', '22.5', '45.3'],
      ['booting…', 'no numbers'],
      ['T=22.6C,RH=45.4%', '22.6 C', '45.4 %'],
      ['T=22.7,RH=45.5', '22.7', '45.5'],
    ])
    assert.match(table.querySelector('caption')!.textContent!, /1 without numbers/)
    assert.equal(bridge.calls.filter((c) => c.op === 'updatePort').length, 0)

    // Another mode re-reads the same frames at once: the wrong one reads nothing.
    type(within(numbers).getByRole('combobox', { name: 'Read numbers as' }), 'csv')
    type(within(numbers).getByRole('textbox', { name: 'Column names' }), 'first, second')
    type(within(numbers).getByRole('textbox', { name: 'Units' }), 'first=°C')
    const csv = () => within(numbers).getByRole('table', { name: 'Numbers preview of climate' })
    assert.deepEqual(rowsOf(csv())[0], ['Frame'])
    assert.match(csv().querySelector('caption')!.textContent!, /5 without numbers/)

    // New frames show as they arrive.
    receive(bridge, 'climate', ['22.9,46.1'])
    await within(numbers).findByText('22.9 °C')
    assert.deepEqual(rowsOf(csv()).at(-1), ['22.9,46.1', '22.9 °C', '46.1'])
  })

  test('a pattern that does not compile is named by its field and the preview waits for a fix', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [port({ path: '/dev/ttyUSB0', id: 'climate' })]
    const { form, numbers } = await numbersOf(bridge, 'climate')
    receive(bridge, 'climate', ['T=22.4,RH=45.2'])
    type(within(numbers).getByRole('combobox', { name: 'Read numbers as' }), 'regex')
    const pattern = within(numbers).getByRole('textbox', { name: 'Pattern' })
    type(pattern, 'T=(?<T>[-\\d.]+')
    assert.ok(within(numbers).getByText(/^parse\.pattern: does not compile: /))
    assert.equal(pattern.getAttribute('aria-invalid'), 'true')
    assert.ok(within(numbers).getByText('Preview: fix the setting above to see its frames read.'))
    fireEvent.click(within(form).getByRole('button', { name: 'Save port' }))
    assert.match((await within(form).findByRole('alert')).textContent!, /parse\.pattern/)
    assert.equal(bridge.calls.filter((c) => c.op === 'updatePort').length, 0)

    type(pattern, 'RH=(?<humidity>[-\\d.]+)')
    const table = within(numbers).getByRole('table', { name: 'Numbers preview of climate' })
    assert.deepEqual(rowsOf(table), [
      ['Frame', 'humidity'],
      ['T=22.4,RH=45.2', '45.2'],
    ])
    fireEvent.click(within(form).getByRole('button', { name: 'Save port' }))
    await screen.findByText('climate was saved')
    assert.deepEqual(bridge.ports[0]!.settings.parse, {
      mode: 'regex',
      pattern: 'RH=(?<humidity>[-\\d.]+)',
    })
  })

  test('a poll’s one unnamed number takes the poll’s name in the preview, as in the engine', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [port({ path: '/dev/ttyUSB0', id: 'scale' })]
    const { numbers } = await numbersOf(bridge, 'scale')
    receive(bridge, 'scale', ['+  12.345 g'], { poll: 'mass' })
    receive(bridge, 'scale', ['-0.5'])
    type(within(numbers).getByRole('combobox', { name: 'Read numbers as' }), 'number')
    const table = within(numbers).getByRole('table', { name: 'Numbers preview of scale' })
    assert.deepEqual(rowsOf(table), [
      ['Frame', 'mass', 'value'],
      ['+  12.345 g (poll mass)', '12.345 g', '–'],
      ['-0.5', '–', '-0.5'],
    ])
  })

  test('saved settings fill the section, and a port without frames says how to get some', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [
      port({
        path: '/dev/ttyUSB0',
        id: 'logger',
        parse: { mode: 'csv', columns: ['T', 'RH'], separator: '\t', units: { T: '°C' } },
      }),
    ]
    const { numbers } = await numbersOf(bridge, 'logger')
    const value = (name: string) =>
      within(numbers).getByRole<HTMLInputElement>('textbox', { name }).value
    assert.equal(value('Column names'), 'T, RH')
    assert.equal(value('Separator'), '\\t')
    assert.equal(value('Units'), 'T=°C')
    assert.match(
      within(numbers).getByText(/^Preview: no frames from logger yet/).textContent!,
      /its last 5 frames show here/,
    )
  })
})
