import './dom-setup'
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { fireEvent, screen, within } from '@testing-library/react'
import type { QueryRequest } from '../../common/contract'
import type { PortSettingsInput } from '../../common/settings-schema'
import { validatePortSettings } from '../../common/validation'
import { createBridgeStandIn, portInfo } from './bridge-stand-in'
import { cleanup, renderApp } from './render-app'

afterEach(cleanup)

function port(input: PortSettingsInput, state: 'open' | 'closed' = 'open') {
  const result = validatePortSettings(input)
  if (!result.ok) throw new Error(result.errors.join('; '))
  return portInfo(result.value, state)
}

async function editForm(bridge: ReturnType<typeof createBridgeStandIn>, id: string) {
  renderApp(bridge)
  const card = await screen.findByRole('article', { name: `Port ${id}` })
  fireEvent.click(within(card).getByRole('button', { name: 'Edit' }))
  return screen.getByRole('form', { name: `Edit port ${id}` })
}

const type = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } })

describe('Polls in the port form', () => {
  test('a poll is added, edited and saved into the port settings', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [port({ path: '/dev/ttyUSB0', id: 'psu' })]
    const form = await editForm(bridge, 'psu')
    fireEvent.click(within(form).getByRole('button', { name: 'Add poll' }))
    const row = within(form).getByRole('group', { name: 'Poll 1' })
    type(within(row).getByRole('textbox', { name: 'Name' }), 'volt')
    type(within(row).getByRole('textbox', { name: 'Command' }), 'MEAS:VOLT?')
    type(within(row).getByRole('textbox', { name: 'Every (ms)' }), '500')
    type(within(row).getByRole('textbox', { name: 'Reply matches' }), '^V=')
    fireEvent.click(within(form).getByRole('button', { name: 'Save port' }))
    await screen.findByText('psu was saved')
    assert.deepEqual(bridge.ports[0]!.settings.polls, [
      {
        name: 'volt',
        command: 'MEAS:VOLT?',
        intervalMs: 500,
        encoding: 'utf8',
        timeoutMs: 1000,
        expect: '^V=',
      },
    ])
  })

  test('saved polls show in the form, and Remove takes one out', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [
      port({
        path: '/dev/ttyUSB0',
        id: 'psu',
        polls: [
          { name: 'volt', command: 'MEAS:VOLT?', intervalMs: 500 },
          { name: 'curr', command: 'MEAS:CURR?', intervalMs: 1000 },
        ],
      }),
    ]
    const form = await editForm(bridge, 'psu')
    const first = within(form).getByRole('group', { name: 'Poll 1' })
    assert.equal(
      within(first).getByRole<HTMLInputElement>('textbox', { name: 'Name' }).value,
      'volt',
    )
    fireEvent.click(within(form).getByRole('button', { name: 'Remove poll 1' }))
    const left = within(form).getByRole('group', { name: 'Poll 1' })
    assert.equal(
      within(left).getByRole<HTMLInputElement>('textbox', { name: 'Name' }).value,
      'curr',
    )
    fireEvent.click(within(form).getByRole('button', { name: 'Save port' }))
    await screen.findByText('psu was saved')
    assert.deepEqual(
      bridge.ports[0]!.settings.polls.map((p) => p.name),
      ['curr'],
    )
  })

  test('bad polls are named by field in the schema’s words, as typed, and nothing is saved', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [port({ path: '/dev/ttyUSB0', id: 'psu' })]
    const form = await editForm(bridge, 'psu')
    fireEvent.click(within(form).getByRole('button', { name: 'Add poll' }))
    fireEvent.click(within(form).getByRole('button', { name: 'Add poll' }))
    const [one, two] = [1, 2].map((n) => within(form).getByRole('group', { name: `Poll ${n}` }))
    type(within(one!).getByRole('textbox', { name: 'Name' }), 'volt')
    type(within(one!).getByRole('textbox', { name: 'Command' }), 'MEAS?')
    type(within(one!).getByRole('textbox', { name: 'Every (ms)' }), '5')
    type(within(two!).getByRole('textbox', { name: 'Name' }), 'volt')
    type(within(two!).getByRole('textbox', { name: 'Command' }), 'IDN?')
    type(within(two!).getByRole('textbox', { name: 'Reply matches' }), '^V=(')

    assert.ok(within(one!).getByText('polls[0].intervalMs: intervalMs must be at least 20 ms'))
    assert.equal(
      within(one!).getByRole('textbox', { name: 'Every (ms)' }).getAttribute('aria-invalid'),
      'true',
    )
    assert.ok(within(two!).getByText('polls[1].name: duplicate poll name "volt" (also polls[0])'))
    assert.ok(within(two!).getByText(/^polls\[1\]\.expect: does not compile/))

    fireEvent.click(within(form).getByRole('button', { name: 'Save port' }))
    const alert = await within(form).findByRole('alert')
    assert.match(alert.textContent!, /polls\[0\]\.intervalMs: intervalMs must be at least 20 ms/)
    assert.equal(bridge.calls.filter((c) => c.op === 'updatePort').length, 0)

    type(within(one!).getByRole('textbox', { name: 'Every (ms)' }), 'fast')
    assert.ok(
      within(one!).getByText('polls[0].intervalMs: type a whole number of milliseconds, e.g. 500'),
    )
  })

  test('Try it sends the command once with queryPort and shows the reply and its numbers', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [port({ path: '/dev/ttyUSB0', id: 'scale', writeTerminator: '\r\n' })]
    const form = await editForm(bridge, 'scale')
    fireEvent.change(within(form).getByRole('combobox', { name: 'Read numbers as' }), {
      target: { value: 'number' },
    })
    fireEvent.click(within(form).getByRole('button', { name: 'Add poll' }))
    const row = within(form).getByRole('group', { name: 'Poll 1' })
    type(within(row).getByRole('textbox', { name: 'Name' }), 'mass')
    // The stand-in is an echoing instrument: the reply is the command.
    type(within(row).getByRole('textbox', { name: 'Command' }), '+  12.345 g')
    type(within(row).getByRole('textbox', { name: 'Timeout (ms)' }), '700')
    fireEvent.click(within(row).getByRole('button', { name: 'Try it' }))
    const shown = await within(row).findByText(/^Reply in 1 ms/)
    assert.equal(shown.textContent, 'Reply in 1 ms: "+  12.345 g" → mass = 12.345 g')
    const query = bridge.calls.find((c) => c.op === 'queryPort')!.args[0] as QueryRequest
    assert.deepEqual(query, {
      port: 'scale',
      data: '+  12.345 g',
      format: 'text',
      terminator: '\r\n',
      timeoutMs: 700,
    })
    assert.equal(bridge.calls.filter((c) => c.op === 'updatePort').length, 0, 'nothing saved')
  })

  test('Try it sends hex and base64 commands as bytes', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [port({ path: '/dev/ttyUSB0', id: 'plc' })]
    const form = await editForm(bridge, 'plc')
    fireEvent.click(within(form).getByRole('button', { name: 'Add poll' }))
    const row = within(form).getByRole('group', { name: 'Poll 1' })
    fireEvent.change(within(row).getByRole('combobox', { name: 'Command is' }), {
      target: { value: 'base64' },
    })
    type(within(row).getByRole('textbox', { name: 'Command' }), 'AQMAAA==')
    fireEvent.click(within(row).getByRole('button', { name: 'Try it' }))
    await within(row).findByText(/^Reply in 1 ms/)
    const query = bridge.calls.find((c) => c.op === 'queryPort')!.args[0] as QueryRequest
    assert.equal(query.format, 'hex')
    assert.equal(query.data, '01 03 00 00')
  })

  test('Try it on a closed port says why there was no reply, in words', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [port({ path: '/dev/ttyUSB0', id: 'psu' }, 'closed')]
    const form = await editForm(bridge, 'psu')
    fireEvent.click(within(form).getByRole('button', { name: 'Add poll' }))
    const row = within(form).getByRole('group', { name: 'Poll 1' })
    type(within(row).getByRole('textbox', { name: 'Command' }), 'MEAS?')
    fireEvent.click(within(row).getByRole('button', { name: 'Try it' }))
    const status = await within(row).findByText('MEAS?: port "psu" is closed, not open')
    assert.ok(status.classList.contains('failed'))
  })

  test('a port being added has nothing to try yet', async () => {
    const bridge = createBridgeStandIn()
    renderApp(bridge)
    fireEvent.click(await screen.findByRole('button', { name: 'Add port' }))
    const form = screen.getByRole('form', { name: 'Add a port' })
    fireEvent.click(within(form).getByRole('button', { name: 'Add poll' }))
    const row = within(form).getByRole('group', { name: 'Poll 1' })
    type(within(row).getByRole('textbox', { name: 'Command' }), 'MEAS?')
    const tryIt = within(row).getByRole<HTMLButtonElement>('button', { name: 'Try it' })
    assert.equal(tryIt.disabled, true)
    assert.equal(tryIt.title, 'Add the port first, then try its polls')
  })

  test('the port card lists running polls with what they did, and who started them', async () => {
    const bridge = createBridgeStandIn()
    const stats = { sent: 13, answered: 12, timeouts: 1, skipped: 0, lastReplyAt: null }
    bridge.ports = [
      {
        ...port({ path: '/dev/ttyUSB0', id: 'psu' }),
        polls: [
          {
            name: 'volt',
            command: 'MEAS:VOLT?',
            intervalMs: 500,
            encoding: 'utf8',
            timeoutMs: 1000,
            owner: 'settings',
            stats: { ...stats, lastRoundTripMs: 3.2 },
          },
          {
            name: 'temp',
            command: 'MEAS:TEMP?',
            intervalMs: 120_000,
            encoding: 'utf8',
            timeoutMs: 1000,
            owner: 'c7',
            stats: { ...stats, answered: 0, timeouts: 0, lastRoundTripMs: null },
          },
        ],
      },
    ]
    renderApp(bridge)
    const card = await screen.findByRole('article', { name: 'Port psu' })
    const items = within(within(card).getByRole('list', { name: 'Polls' })).getAllByRole('listitem')
    assert.deepEqual(
      items.map((li) => li.textContent),
      [
        'volt MEAS:VOLT? every 500 ms: 12 replies · 1 timeout · 0 skipped · last in 3.2 ms',
        'temp MEAS:TEMP? every 2 min: 0 replies · 0 timeouts · 0 skipped · started by c7',
      ],
    )
  })
})
