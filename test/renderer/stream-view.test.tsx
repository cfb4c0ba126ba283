import './dom-setup'
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import type { StreamFrame } from '../../common/contract'
import { validatePortSettings } from '../../common/validation'
import { FrameRing } from '../../renderer/src/stream/frame-ring'
import { FrameStore, FRAMES_PER_PORT } from '../../renderer/src/stream/frame-store'
import {
  decodeText,
  formatHex,
  frameLine,
  visibleText,
} from '../../renderer/src/stream/format-frame'
import { SendHistory } from '../../renderer/src/stream/send-history'
import { createBridgeStandIn, portInfo } from './bridge-stand-in'
import { cleanup, renderApp } from './render-app'

afterEach(cleanup)

const text = (s: string) => new TextEncoder().encode(s)
const rx = (
  port: string,
  s: string | Uint8Array,
  ts = Date.UTC(2026, 10, 20, 10),
): StreamFrame => ({
  port,
  direction: 'rx',
  ts,
  data: typeof s === 'string' ? text(s) : s,
})

function openSim(encoding: 'utf8' | 'latin1' = 'utf8') {
  const settings = validatePortSettings({ path: 'sim:demo', encoding })
  if (!settings.ok) throw new Error(settings.errors.join('; '))
  const bridge = createBridgeStandIn()
  bridge.ports = [portInfo(settings.value, 'open')]
  return bridge
}

describe('frame ring and store', () => {
  test('a ring keeps the newest items and counts what it dropped', () => {
    const ring = new FrameRing<number>(3)
    for (let i = 1; i <= 5; i++) ring.push(i)
    assert.deepEqual(ring.toArray(), [3, 4, 5])
    assert.equal(ring.length, 3)
    assert.equal(ring.dropped, 2)
    assert.equal(ring.at(0), 3)
    assert.equal(ring.at(3), undefined)
    ring.clear()
    assert.deepEqual([ring.length, ring.total], [0, 0])
  })

  test('the store keeps the last 10,000 frames per port', () => {
    const store = new FrameStore()
    const batch = Array.from({ length: FRAMES_PER_PORT + 50 }, (_, i) => rx('a', `line ${i}`))
    store.add({ frames: [...batch, rx('b', 'other port')], dropped: 7 })
    const a = store.ring('a')
    assert.equal(a.length, 10_000)
    assert.equal(new TextDecoder().decode(a.at(0)!.data), 'line 50')
    assert.equal(new TextDecoder().decode(a.at(9_999)!.data), 'line 10049')
    assert.equal(store.ring('b').length, 1)
    assert.equal(store.droppedByHost, 7)
  })

  test('hex, text and timestamps format the way the view shows them', () => {
    assert.equal(formatHex(Uint8Array.of(0x48, 0x69, 0x0d, 0x0a, 0x00, 0xff)), '48 69 0D 0A 00 FF')
    assert.equal(visibleText('T=21.5\r\n'), 'T=21.5')
    assert.equal(visibleText('a\u0003b\r'), 'a\u2403b')
    assert.equal(decodeText(Uint8Array.of(0xb0, 0x43), 'latin1'), '°C')
    assert.equal(decodeText(Uint8Array.of(0xc2, 0xb0, 0x43), 'utf8'), '°C')
    const frame = rx('a', 'OK\n', new Date(2026, 10, 20, 9, 5, 7, 42).getTime())
    assert.equal(
      frameLine(frame, { mode: 'text', encoding: 'utf8', timestamps: true }),
      '2026-11-20 09:05:07.042 rx OK',
    )
    assert.equal(
      frameLine(frame, { mode: 'hex', encoding: 'utf8', timestamps: false }),
      'rx 4F 4B 0A  |OK.|',
    )
  })

  test('send history walks back and forth and keeps the draft', () => {
    const h = new SendHistory()
    h.add('*IDN?')
    h.add('MEAS?')
    h.add('MEAS?')
    assert.equal(h.size, 2)
    assert.equal(h.previous('dra'), 'MEAS?')
    assert.equal(h.previous('MEAS?'), '*IDN?')
    assert.equal(h.previous('*IDN?'), undefined)
    assert.equal(h.next(), 'MEAS?')
    assert.equal(h.next(), 'dra')
    assert.equal(h.next(), undefined)
  })
})

describe('Stream view', () => {
  test('shows frames fed by onFrames, in text or hex, and saves the shown lines', async () => {
    const bridge = openSim()
    renderApp(bridge, { initialTab: 'Stream' })
    await screen.findByRole('list', { name: 'Data of sim-demo' })
    bridge.emit('frames', {
      frames: [rx('sim-demo', 'T=21.5 C\r\n'), rx('sim-demo', 'H=45 %\r\n'), rx('other', 'x\n')],
      dropped: 0,
    })
    await screen.findByText('2 lines shown')

    fireEvent.click(screen.getByRole('button', { name: 'Hex' }))
    fireEvent.click(screen.getByRole('checkbox', { name: 'Timestamps' }))
    fireEvent.click(screen.getByRole('button', { name: 'Save shown lines' }))
    await screen.findByText(/^Saved 2 lines to \/home\/lab\/sim-demo-\d{8}-\d{6}\.txt$/)
    assert.equal(
      bridge.saved[0]!.text,
      'rx 54 3D 32 31 2E 35 20 43 0D 0A  |T=21.5 C..|\nrx 48 3D 34 35 20 25 0D 0A  |H=45 %..|\n',
    )

    fireEvent.click(screen.getByRole('button', { name: 'Text' }))
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter' }), { target: { value: 'h=' } })
    await screen.findByText('1 line shown')
    fireEvent.click(screen.getByRole('button', { name: 'Save shown lines' }))
    await waitFor(() => assert.equal(bridge.saved.length, 2))
    assert.equal(bridge.saved[1]!.text, 'rx H=45 %\n')
  })

  test('decodes text with the port encoding', async () => {
    const bridge = openSim('latin1')
    renderApp(bridge, { initialTab: 'Stream' })
    await screen.findByRole('list', { name: 'Data of sim-demo' })
    bridge.emit('frames', {
      frames: [rx('sim-demo', Uint8Array.of(0x32, 0x35, 0xb0, 0x43))],
      dropped: 0,
    })
    await screen.findByText('1 line shown')
    fireEvent.click(screen.getByRole('checkbox', { name: 'Timestamps' }))
    fireEvent.click(screen.getByRole('button', { name: 'Save shown lines' }))
    await waitFor(() => assert.equal(bridge.saved[0]?.text, 'rx 25°C\n'))
  })

  test('pause freezes the shown lines while frames keep arriving; resume catches up', async () => {
    const bridge = openSim()
    renderApp(bridge, { initialTab: 'Stream' })
    await screen.findByRole('list', { name: 'Data of sim-demo' })
    bridge.emit('frames', { frames: [rx('sim-demo', 'one\n')], dropped: 0 })
    await screen.findByText('1 line shown')

    fireEvent.click(screen.getByRole('button', { name: 'Pause' }))
    bridge.emit('frames', {
      frames: [rx('sim-demo', 'two\n'), rx('sim-demo', 'three\n')],
      dropped: 0,
    })
    await screen.findByText('Paused: 2 new frames not shown')
    assert.ok(screen.getByText('1 line shown'))

    fireEvent.click(screen.getByRole('button', { name: 'Resume' }))
    await screen.findByText('3 lines shown')
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }))
    await screen.findByText('0 lines shown')
  })

  test('rows tell rx and tx apart with a marker and words for screen readers', async (t) => {
    // happy-dom does no layout, so every element is 0 px tall and the virtualizer would show
    // no rows; give the stream list the height a real window gives it.
    const proto = Object.getPrototypeOf(document.createElement('div')) as object
    const original = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight')!
    Object.defineProperty(proto, 'clientHeight', {
      configurable: true,
      get(this: Element) {
        return this.classList.contains('stream-list') ? 400 : original.get!.call(this)
      },
    })
    t.after(() => delete (proto as { clientHeight?: number }).clientHeight)

    const bridge = openSim()
    renderApp(bridge, { initialTab: 'Stream' })
    const list = await screen.findByRole('list', { name: 'Data of sim-demo' })
    const frames: StreamFrame[] = [{ ...rx('sim-demo', 'cmd\n'), direction: 'tx' }]
    for (let i = 0; i < 500; i++) frames.push(rx('sim-demo', `reading ${i}\n`))
    bridge.emit('frames', { frames, dropped: 0 })
    await screen.findByText('501 lines shown')

    // Only a window of rows is in the DOM. (Follow scrolls a real browser; happy-dom does not
    // scroll, so this looks at the top.)
    const rows = await within(list).findAllByRole('listitem')
    assert.ok(rows.length > 0 && rows.length < 60, `${rows.length} rows in the DOM`)
    assert.match(rows[0]!.textContent!, /^(\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d\.\d{3}→sentcmd$/)
    assert.ok(rows[0]!.classList.contains('tx'))
    assert.match(rows[1]!.textContent!, /←receivedreading 0$/)
    assert.ok(rows[1]!.classList.contains('rx'))
  })

  test('the send box sends with the chosen line ending and walks history with ↑/↓', async () => {
    const bridge = openSim()
    renderApp(bridge, { initialTab: 'Stream' })
    const input = (await screen.findByRole('textbox', {
      name: 'Command to send',
    })) as HTMLInputElement
    const send = (value: string) => {
      fireEvent.change(input, { target: { value } })
      fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    }
    send('*IDN?')
    await screen.findByText('Sent 6 bytes to sim-demo')
    fireEvent.change(screen.getByRole('combobox', { name: 'Line ending' }), {
      target: { value: '\r\n' },
    })
    send('MEAS?')
    await screen.findByText('Sent 7 bytes to sim-demo')
    assert.deepEqual(
      bridge.calls.filter((c) => c.op === 'sendToPort').map((c) => c.args[0]),
      [
        { port: 'sim-demo', data: '*IDN?', format: 'text', terminator: '\n' },
        { port: 'sim-demo', data: 'MEAS?', format: 'text', terminator: '\r\n' },
      ],
    )
    await screen.findByText('2 lines shown')

    fireEvent.change(input, { target: { value: 'draft' } })
    fireEvent.keyDown(input, { key: 'ArrowUp' })
    assert.equal(input.value, 'MEAS?')
    fireEvent.keyDown(input, { key: 'ArrowUp' })
    assert.equal(input.value, '*IDN?')
    fireEvent.keyDown(input, { key: 'ArrowDown' })
    assert.equal(input.value, 'MEAS?')
    fireEvent.keyDown(input, { key: 'ArrowDown' })
    assert.equal(input.value, 'draft')
  })

  test('hex input is checked before sending', async () => {
    const bridge = openSim()
    renderApp(bridge, { initialTab: 'Stream' })
    const input = await screen.findByRole('textbox', { name: 'Command to send' })
    const form = screen.getByRole('form', { name: 'Send to sim-demo' })
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Send as hex' }))
    fireEvent.change(input, { target: { value: '2A 4' } })
    fireEvent.click(within(form).getByRole('button', { name: 'Send' }))
    await screen.findByText('Hex input needs pairs of hex digits, e.g. 2A 49 44 4E 3F')
    fireEvent.change(input, { target: { value: '2a 49 44 4e 3f' } })
    fireEvent.click(within(form).getByRole('button', { name: 'Send' }))
    await screen.findByText('Sent 5 bytes to sim-demo')
    assert.deepEqual(bridge.calls.filter((c) => c.op === 'sendToPort').at(-1)!.args[0], {
      port: 'sim-demo',
      data: '2a 49 44 4e 3f',
      format: 'hex',
      terminator: '',
    })
  })
})
