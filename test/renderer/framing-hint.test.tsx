import './dom-setup'
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { fireEvent, screen, within } from '@testing-library/react'
import { validatePortSettings } from '../../common/validation'
import type { PortSettingsInput } from '../../common/settings-schema'
import { createBridgeStandIn, portInfo } from './bridge-stand-in'
import { cleanup, renderApp } from './render-app'

afterEach(cleanup)

function openPort(input: PortSettingsInput, metrics: Record<string, number> = {}) {
  const result = validatePortSettings(input)
  if (!result.ok) throw new Error(result.errors.join('; '))
  const info = portInfo(result.value, 'open')
  return { ...info, metrics: { ...info.metrics, ...metrics } }
}

describe('framing in the Ports view', () => {
  test('bytes arriving for seconds with no line ending show a hint, and cut frames are counted', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [
      openPort({ path: '/dev/ttyUSB0' }, { unendedMs: 4200, unendedBytes: 900, framesCut: 3 }),
      openPort({ path: '/dev/ttyUSB1' }, { unendedMs: 800, unendedBytes: 20 }),
      openPort(
        { path: '/dev/ttyUSB2', framing: { mode: 'delimiter', delimiter: '\u0003' } },
        { unendedMs: 9000 },
      ),
    ]
    renderApp(bridge)
    const card = await screen.findByRole('article', { name: 'Port ttyUSB0' })
    assert.ok(within(card).getByText('No line ending seen: is the framing right?'))
    assert.match(within(card).getByText(/frames cut/).textContent!, /· 3 frames cut$/)
    const calm = screen.getByRole('article', { name: 'Port ttyUSB1' })
    assert.equal(within(calm).queryByText(/is the framing right/), null, 'a partial line is normal')
    assert.equal(within(calm).queryByText(/frames cut/), null)
    const etx = screen.getByRole('article', { name: 'Port ttyUSB2' })
    assert.ok(within(etx).getByText('No delimiter "\\x03" seen: is the framing right?'))
  })

  test('a new port is framed by line ends; an existing delimiter port keeps its delimiter', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [
      openPort({ path: '/dev/ttyS0', framing: { mode: 'delimiter', delimiter: '\r\n' } }),
    ]
    renderApp(bridge)
    fireEvent.click(await screen.findByRole('button', { name: 'Add port' }))
    const form = screen.getByRole('form', { name: 'Add a port' })
    const mode = within(form).getByRole('combobox', { name: 'Split data into frames' })
    assert.equal((mode as HTMLSelectElement).value, 'line')
    assert.ok(within(form).getByRole('option', { name: 'at line ends (\\n, \\r\\n or \\r)' }))
    fireEvent.change(within(form).getByRole('textbox', { name: 'Path' }), {
      target: { value: '/dev/ttyUSB0' },
    })
    fireEvent.change(within(form).getByRole('textbox', { name: 'Longest frame (bytes)' }), {
      target: { value: '4096' },
    })
    fireEvent.click(within(form).getByRole('button', { name: 'Add port' }))
    await screen.findByRole('article', { name: 'Port ttyUSB0' })
    const added = bridge.calls.filter((c) => c.op === 'addPort').at(-1)!
      .args[0] as PortSettingsInput
    assert.equal(added.framing?.mode, 'line')
    assert.equal(added.framing?.maxFrameBytes, 4096)

    const card = screen.getByRole('article', { name: 'Port ttyS0' })
    fireEvent.click(within(card).getByRole('button', { name: 'Edit' }))
    const edit = screen.getByRole('form', { name: 'Edit port ttyS0' })
    fireEvent.click(within(edit).getByRole('button', { name: 'Save port' }))
    await screen.findByText(/ttyS0 was saved|Saved/)
    const saved = bridge.calls.filter((c) => c.op === 'updatePort').at(-1)!
      .args[1] as PortSettingsInput
    assert.deepEqual(saved.framing, {
      mode: 'delimiter',
      delimiter: '\r\n',
      idleMs: 50,
      length: 16,
      maxFrameBytes: 65536,
    })
  })
})
