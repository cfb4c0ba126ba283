import assert from 'node:assert/strict'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { WebSocketServer } from 'ws'
import {
  BridgeError,
  connect,
  ConnectionLost,
  PortNotOpen,
  Timeout,
  UnknownPort,
  NotSupported,
  type Bridge,
  type PortStatus,
} from '../../../clients/js/src/index'
import { Instrument } from '../../helpers/instrument'
import { SocatPair } from '../../helpers/socat-pair'
import { waitFor } from '../../helpers/wait'
import { BridgeProcess } from './helpers/bridge-process'
import { frames, take } from './helpers/rig'

describe('@serial-bridge/client against headless mode on real ptys', () => {
  const meterPty = new SocatPair('meter')
  const scalePty = new SocatPair('scale')
  let headless: BridgeProcess
  let meter: Instrument
  let scale: Instrument
  let bridge: Bridge

  before(async () => {
    await meterPty.plug()
    await scalePty.plug()
    headless = await BridgeProcess.start({
      server: { port: 0 },
      ports: [
        { id: 'meter', path: meterPty.a, baudRate: 115200 },
        { id: 'scale', path: scalePty.a, baudRate: 115200, encoding: 'latin1' },
      ],
    })
    await headless.waitForStderr(/^port meter .* open$/)
    await headless.waitForStderr(/^port scale .* open$/)
    meter = await Instrument.open(meterPty.b)
    scale = await Instrument.open(scalePty.b)
    bridge = await connect(headless.url, { client: 'operations-test' })
  })

  after(async () => {
    await bridge?.close()
    await meter?.close()
    await scale?.close()
    await headless?.stop()
    await meterPty.dispose()
    await scalePty.dispose()
  })

  test('hello and ports() describe the bridge and its ports', async () => {
    assert.equal(bridge.hello.protocol, 1)
    assert.match(bridge.hello.server, /^Serial Bridge /)
    const ports = await bridge.ports()
    assert.deepEqual(
      ports.map((p) => [p.id, p.state, p.settings.encoding]),
      [
        ['meter', 'open', 'utf8'],
        ['scale', 'open', 'latin1'],
      ],
    )
  })

  test('stream yields each line as a Frame: text, bytes, time and consecutive seq', async () => {
    const stream = bridge.stream('meter')
    await stream.ready
    const before = Date.now()
    await meter.write('V=1.250\nV=1.251\n')
    await meter.write(Buffer.from([0xff, 0x41, 0x0a]))
    const [a, b, c] = frames(await take(stream, 3))
    stream.close()
    assert.deepEqual(
      [a!.text, b!.text, c!.text],
      ['V=1.250', 'V=1.251', '\ufffdA'],
      'invalid UTF-8 comes out as U+FFFD',
    )
    assert.deepEqual([...a!.data], [...Buffer.from('V=1.250')])
    assert.deepEqual([...c!.data], [0xff, 0x41], 'the bytes as read')
    assert.equal(b!.seq, a!.seq + 1)
    assert.equal(c!.seq, b!.seq + 1)
    assert.equal(a!.port, 'meter')
    assert.ok(a!.ts instanceof Date && a!.ts.getTime() >= before - 1000, String(a!.ts))
    assert.equal(String(a), 'V=1.250')
  })

  test('a latin1 port gives one byte a character', async () => {
    const stream = bridge.stream('scale')
    await stream.ready
    await scale.write(Buffer.from([0x6d, 0xe9, 0x0a]))
    const [frame] = frames(await take(stream, 1))
    stream.close()
    assert.equal(frame!.text, 'mé')
    assert.deepEqual([...frame!.data], [0x6d, 0xe9])
  })

  test('two streams of one port each get every frame; one closing leaves the other', async () => {
    const first = bridge.stream('meter')
    const second = bridge.stream('meter')
    await Promise.all([first.ready, second.ready])
    await meter.write('both\n')
    assert.deepEqual(frames(await take(first, 1)).map(String), ['both'])
    assert.deepEqual(frames(await take(second, 1)).map(String), ['both'])
    first.close()
    assert.deepEqual(await first.next(), { value: undefined, done: true })
    await meter.write('second only\n')
    assert.deepEqual(frames(await take(second, 1)).map(String), ['second only'])
    second.close()
    const again = bridge.stream('meter')
    await again.ready
    await meter.write('after resubscribing\n')
    assert.deepEqual(frames(await take(again, 1)).map(String), ['after resubscribing'])
    again.close()
  })

  test('write adds the terminator and resolves with the bytes written', async () => {
    assert.equal(await bridge.write('meter', 'SYST:REM'), 9)
    await meter.waitForLine('SYST:REM')
  })

  test('writeBytes writes exactly those bytes', async () => {
    const start = meter.bytes().length
    const bytes = new Uint8Array([0x1b, 0x40, 0x00, 0xff, 0x0d, 0x0a])
    assert.equal(await bridge.writeBytes('meter', bytes), 6)
    await waitFor(() => meter.bytes().length >= start + 6, { what: 'six bytes at the instrument' })
    assert.deepEqual([...meter.bytes().subarray(start)], [...bytes])
  })

  test('query resolves with the answer', async () => {
    const reply = bridge.query('meter', '*IDN?', { timeoutMs: 5000 })
    await meter.waitForLine('*IDN?')
    await meter.write('ACME,Model 42,A1234,2.1\n')
    const answer = await reply
    assert.equal(answer.text, 'ACME,Model 42,A1234,2.1')
    assert.equal(answer.port, 'meter')
    assert.deepEqual([...answer.data], [...Buffer.from('ACME,Model 42,A1234,2.1')])
    assert.equal(String(answer), 'ACME,Model 42,A1234,2.1')
  })

  test('query with a bytes command writes them as they are', async () => {
    const start = meter.bytes().length
    const reply = bridge.query('meter', new Uint8Array([0x05]), { timeoutMs: 5000 })
    await waitFor(() => meter.bytes().length > start, { what: 'the ENQ byte' })
    assert.deepEqual([...meter.bytes().subarray(start)], [0x05])
    await meter.write('ACK\n')
    assert.equal((await reply).text, 'ACK')
  })

  test('an unanswered query fails with Timeout', async () => {
    const error = await bridge.query('meter', 'SILENT?', { timeoutMs: 200 }).catch((e) => e)
    assert.ok(error instanceof Timeout, String(error))
    assert.ok(error instanceof BridgeError)
    assert.equal(error.code, 'TIMEOUT')
    assert.match(error.message, /200 ms/)
  })

  test('an unknown port fails with UnknownPort, for query, write and stream', async () => {
    await assert.rejects(bridge.query('nope', '*IDN?'), UnknownPort)
    await assert.rejects(bridge.write('nope', 'x'), (e: BridgeError) => e.code === 'UNKNOWN_PORT')
    const stream = bridge.stream('nope')
    await assert.rejects(stream.ready, UnknownPort)
    await assert.rejects(stream.next(), UnknownPort)
  })

  test('what the server does not announce is refused before anything is sent', async () => {
    // A bridge from before the polls feature (older-bridge stand-in): its hello has no features.
    const older = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await once(older, 'listening')
    const received: string[] = []
    older.on('connection', (ws) => {
      ws.on('message', (data) => received.push(String(data)))
      const port = { id: 'meter', path: '/dev/ttyUSB0', state: 'open', settings: {}, metrics: {} }
      const hello = { type: 'hello', protocol: 1, server: 'Serial Bridge 0.1.0', clientId: 'c1' }
      ws.send(JSON.stringify({ ...hello, readOnly: false, ports: [port] }))
    })
    const { port } = older.address() as AddressInfo
    const old = await connect(`ws://127.0.0.1:${port}`, { heartbeatMs: 0 })
    try {
      assert.ok(!(old.hello.features ?? []).includes('polls'))
      await assert.rejects(
        old.startPoll('meter', 'volt', 'MEAS:VOLT?', { intervalMs: 500 }),
        (e: unknown) => e instanceof NotSupported && /"polls"/.test(e.message),
      )
      await assert.rejects(old.query('meter', 'X?', { expect: /^V=/ }), NotSupported)
      await assert.rejects(old.query('meter', 'X?', { expectLines: 2 }), NotSupported)
      assert.equal(old.connected, true)
      assert.deepEqual(received, [], 'nothing was sent')
    } finally {
      await old.close()
      await new Promise<void>((resolve) => older.close(() => resolve()))
    }
    // This bridge announces them.
    assert.ok(bridge.hello.features?.includes('polls'))
  })

  test('onStatus reports an unplug and the re-plug; unsubscribing stops it', async () => {
    const seen: PortStatus[] = []
    const off = bridge.onStatus((s) => seen.push(s))
    const stream = bridge.stream('meter')
    await stream.ready
    await meter.close()
    await meterPty.unplug()
    await waitFor(() => seen.some((s) => s.state === 'reconnecting'), {
      what: 'reconnecting',
      timeoutMs: 10_000,
    })
    const down = seen.find((s) => s.state === 'reconnecting')!
    assert.equal(down.port, 'meter')
    assert.match(down.error ?? '', /\S/, 'a reason in words')
    await assert.rejects(bridge.write('meter', 'while unplugged'), PortNotOpen)

    await meterPty.plug()
    await waitFor(() => seen.at(-1)?.state === 'open', { what: 'open again', timeoutMs: 15_000 })
    meter = await Instrument.open(meterPty.b)
    await meter.write('back\n')
    assert.deepEqual(frames(await take(stream, 1)).map(String), ['back'])
    off()
    const count = seen.length
    stream.close()
    await scalePty.unplug()
    await scalePty.plug()
    await headless.waitForStderr(/^port scale .* open$/, headless.stderr.all.length)
    assert.equal(seen.length, count, 'no calls after unsubscribing')
    scale = await Instrument.open(scalePty.b)
  })

  test('stats count what was received', () => {
    const stats = bridge.stats
    assert.ok(stats.messages > 10, JSON.stringify(stats))
    assert.ok(stats.bytes > stats.messages, JSON.stringify(stats))
    assert.ok(stats.errors >= 3, 'error answers are counted')
    assert.equal(stats.reconnects, 0)
    assert.equal(stats.gaps, 0)
  })

  test('close() ends streams and fails what was waiting with ConnectionLost', async () => {
    const other = await connect(headless.url)
    const events: string[] = []
    other.onConnection((e) => events.push(e.state))
    const stream = other.stream('meter')
    await stream.ready
    const reading = (async () => {
      const got: string[] = []
      for await (const item of stream) got.push(String(item))
      return got
    })()
    const waiting = other.query('meter', 'NEVER?', { timeoutMs: 30_000 }).catch((e) => e)
    await meter.waitForLine('NEVER?')
    await other.close()
    assert.ok((await waiting) instanceof ConnectionLost)
    assert.deepEqual(await reading, [], 'the loop ends without an error')
    await assert.rejects(other.write('meter', 'x'), ConnectionLost)
    await assert.rejects(other.stream('meter').next(), ConnectionLost)
    assert.deepEqual(events, ['closed'])
    assert.equal(other.connected, false)
  })
})
