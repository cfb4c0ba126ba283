import './dom-setup'
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { validatePortSettings } from '../../common/validation'
import { createBridgeStandIn, portInfo } from './bridge-stand-in'
import { cleanup, renderApp } from './render-app'

afterEach(cleanup)

function portSettings(input: Parameters<typeof validatePortSettings>[0]) {
  const result = validatePortSettings(input)
  if (!result.ok) throw new Error(result.errors.join('; '))
  return result.value
}

describe('Ports view', () => {
  test('lists configured ports and detected devices', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [portInfo(portSettings({ path: 'sim:demo' }), 'open')]
    bridge.devices = [
      {
        path: '/dev/ttyUSB0',
        manufacturer: 'FTDI',
        serialNumber: 'A12345',
        vendorId: '0403',
        productId: '6001',
      },
    ]
    renderApp(bridge)
    const card = await screen.findByRole('article', { name: 'Port sim-demo' })
    assert.ok(within(card).getByText('Open'))
    assert.ok(within(card).getByText('ws://127.0.0.1:8765/ports/sim-demo'))
    const row = (await screen.findByText('/dev/ttyUSB0')).closest('tr')!
    assert.ok(within(row).getByText('FTDI'))
    assert.ok(within(row).getByText('0403:6001'))
    assert.ok(within(row).getByText('A12345'))
  })

  test('the add form shows validation errors that name the field, then adds the port', async () => {
    const bridge = createBridgeStandIn()
    renderApp(bridge)
    fireEvent.click(await screen.findByRole('button', { name: 'Add port' }))
    const form = screen.getByRole('form', { name: 'Add a port' })

    fireEvent.change(within(form).getByRole('combobox', { name: 'Baud rate' }), {
      target: { value: 'fast' },
    })
    fireEvent.click(within(form).getByRole('button', { name: 'Add port' }))
    let alert = await within(form).findByRole('alert')
    assert.match(alert.textContent!, /baudRate: type a whole number/)
    assert.equal(bridge.calls.filter((c) => c.op === 'addPort').length, 0)

    fireEvent.change(within(form).getByRole('combobox', { name: 'Baud rate' }), {
      target: { value: '115200' },
    })
    fireEvent.click(within(form).getByRole('button', { name: 'Add port' }))
    alert = await within(form).findByText(/path: path is required/)
    assert.ok(alert)

    fireEvent.change(within(form).getByRole('textbox', { name: 'Path' }), {
      target: { value: '/dev/ttyUSB0' },
    })
    fireEvent.change(within(form).getByRole('combobox', { name: 'Parity' }), {
      target: { value: 'even' },
    })
    fireEvent.click(within(form).getByRole('button', { name: 'Add port' }))
    await screen.findByRole('article', { name: 'Port ttyUSB0' })
    await screen.findByText('ttyUSB0 was added')
    assert.ok(!screen.queryByRole('form', { name: 'Add a port' }), 'the form closes')
    const added = bridge.calls.filter((c) => c.op === 'addPort').at(-1)!
    assert.deepEqual(
      {
        ...(added.args[0] as object),
        framing: undefined,
      },
      {
        path: '/dev/ttyUSB0',
        baudRate: 115200,
        dataBits: 8,
        parity: 'even',
        stopBits: 1,
        flowControl: 'none',
        framing: undefined,
        writeTerminator: '\n',
        encoding: 'utf8',
        autoOpen: true,
        reconnect: true,
        commands: [],
        parse: { mode: 'none' },
        polls: [],
      },
    )
  })

  test('open and close show progress, then the result in words', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [portInfo(portSettings({ path: 'sim:demo' }))]
    renderApp(bridge)
    const card = await screen.findByRole('article', { name: 'Port sim-demo' })

    const held = bridge.hold('openPort')
    fireEvent.click(within(card).getByRole('button', { name: 'Open' }))
    await held.reached
    assert.ok(within(card).getByText('Opening sim:demo…'))
    held.release()
    await within(card).findByText('sim:demo is open')
    assert.ok(within(card).getByText('Open', { selector: '.badge' }))

    fireEvent.click(within(card).getByRole('button', { name: 'Close' }))
    await within(card).findByText('sim:demo is closed')
    assert.ok(within(card).getByText('Closed', { selector: '.badge' }))
  })

  test('a failed open shows the human error and the error badge', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [portInfo(portSettings({ path: 'COM9' }))]
    renderApp(bridge)
    const card = await screen.findByRole('article', { name: 'Port COM9' })
    fireEvent.click(within(card).getByRole('button', { name: 'Open' }))
    const error = 'COM9 was not found: the device is unplugged or the name is wrong.'
    await waitFor(() =>
      assert.equal(within(card).getAllByText(error).length, 2, 'the port error and the result'),
    )
    assert.ok(within(card).getByText('Error', { selector: '.badge' }))
  })

  test('"Add simulated device" adds and opens sim:demo, its readings parsed as numbers', async () => {
    const bridge = createBridgeStandIn()
    renderApp(bridge)
    fireEvent.click(await screen.findByRole('button', { name: 'Add simulated device' }))
    await screen.findByText('sim-demo is open: its readings appear under Stream')
    assert.deepEqual(bridge.calls.filter((c) => c.op !== 'listPorts').slice(-2), [
      { op: 'addPort', args: [{ path: 'sim:demo', parse: { mode: 'keyValue' } }] },
      { op: 'openPort', args: ['sim-demo'] },
    ])
    await waitFor(() => assert.ok(!screen.queryByRole('button', { name: 'Add simulated device' })))
  })

  test('a detected device prefills the add form', async () => {
    const bridge = createBridgeStandIn()
    bridge.devices = [{ path: '/dev/ttyACM0', serialNumber: 'SN-77' }]
    renderApp(bridge)
    fireEvent.click(await screen.findByRole('button', { name: 'Set up /dev/ttyACM0' }))
    const form = screen.getByRole('form', { name: 'Add a port' })
    assert.equal(
      (within(form).getByRole('textbox', { name: 'Path' }) as HTMLInputElement).value,
      '/dev/ttyACM0',
    )
  })

  test('hot-plug events update the detected list', async () => {
    const bridge = createBridgeStandIn()
    renderApp(bridge)
    await screen.findByText(/No serial devices found/)
    const device = { path: '/dev/ttyUSB3', manufacturer: 'Prolific' }
    bridge.emit('devices', { added: [device], removed: [], devices: [device] })
    await screen.findByText('/dev/ttyUSB3')
  })
})
