import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { ServerMessage } from '../../../common/protocol'
import type { PortSettingsInput } from '../../../common/settings-schema'
import { startEngine } from '../../helpers/engine-fixture'
import { tempRecordings } from '../../helpers/recordings'
import { watchTimerLateness } from '../../helpers/timer-lateness'
import { waitFor } from '../../helpers/wait'
import { TestClient } from '../../helpers/ws-client'

type Data = Extract<ServerMessage, { type: 'data' }>

const T0 = Date.UTC(2026, 10, 23, 9, 15, 2, 0)
/** When each frame was read on the day, in ms after the first. */
const OFFSETS = [0, 40, 100, 180, 300, 310, 520, 700]

/** A recording as the recorder writes one: events, frames sent to it, and a crash's cut line. */
function recording(offsets: number[], extra = ''): string {
  const lines: string[] = [
    JSON.stringify({ ts: new Date(T0).toISOString(), port: 'meter', event: 'start', format: 1 }),
  ]
  offsets.forEach((ms, i) => {
    const ts = new Date(T0 + ms).toISOString()
    lines.push(
      JSON.stringify({
        ts,
        port: 'meter',
        dir: 'rx',
        seq: i + 1,
        data: `V=${i}`,
        encoding: 'utf8',
      }),
    )
    if (i === 2) {
      lines.push(
        JSON.stringify({ ts, port: 'meter', dir: 'tx', seq: 1, data: 'SENT', encoding: 'utf8' }),
      )
      lines.push('{"broken": ')
    }
  })
  return lines.join('\n') + '\n' + extra
}

/** sim:replay through the real engine and serialport stack, watched by a real ws client. */
describe('replay into a simulated port', () => {
  const folder = tempRecordings('replay')
  const file = join(folder.dir, 'meter', 'day.jsonl')
  let bridge: Awaited<ReturnType<typeof startEngine>>
  let client: TestClient

  before(async () => {
    mkdirSync(join(folder.dir, 'meter'))
    writeFileSync(file, recording(OFFSETS, '{"ts":"2026-11-23T09:1'))
    bridge = await startEngine({}, { recordingsDir: folder.dir })
    client = await TestClient.connect(`${bridge.url}/ws`)
    await client.nextMessage('hello')
  })
  after(async () => {
    await client.close()
    await bridge.stop()
    folder.dispose()
  })

  /** Adds a replay port, subscribes, opens it; resolves with the data messages of `count` frames. */
  async function play(id: string, replay: PortSettingsInput['replay'], count: number) {
    const added = await bridge.engine.addPort({ id, path: 'sim:replay', autoOpen: false, replay })
    assert.ok(added.ok, JSON.stringify(added))
    client.send({ type: 'subscribe', ports: [id] })
    await client.nextMessage('subscribed', (m) => m.ports.includes(id))
    const opened = await bridge.engine.openPort(id)
    assert.ok(opened.ok, JSON.stringify(opened))
    const frames: Data[] = []
    await waitFor(
      () => {
        frames.length = 0
        for (const m of client.messages()) if (m.type === 'data' && m.port === id) frames.push(m)
        return frames.length >= count
      },
      { what: `${count} frames of ${id}`, timeoutMs: 20_000 },
    )
    return frames
  }

  test('at 1× the received frames come again with their spacing, within 10 ms', async () => {
    const lateness = watchTimerLateness()
    const frames = await play('at1', { file: 'meter/day.jsonl', speed: 1 }, OFFSETS.length)
    const allowed = 10 + lateness.stop()
    assert.deepEqual(
      frames.map((f) => f.data),
      OFFSETS.map((_, i) => `V=${i}`),
      'tx records are not played',
    )
    const first = Date.parse(frames[0]!.ts)
    frames.forEach((f, i) => {
      const late = Date.parse(f.ts) - first - OFFSETS[i]!
      assert.ok(Math.abs(late) <= allowed, `frame ${i} is ${late} ms off its recorded time`)
    })
    await waitFor(() => bridge.engine.listPorts().find((p) => p.id === 'at1')?.replay?.finished, {
      what: 'the end of the file',
    })
    const info = bridge.engine.listPorts().find((p) => p.id === 'at1')!
    assert.deepEqual(info.replay, {
      file: 'meter/day.jsonl',
      played: OFFSETS.length,
      badLines: 1,
      finished: true,
    })
    assert.equal(info.state, 'open', 'the port stays open after the end, like a quiet instrument')
  })

  test('at 10× the spacing is divided by ten; at max speed every frame comes at once, in order', async () => {
    const lateness = watchTimerLateness()
    const tenfold = await play('at10', { file, speed: 10 }, OFFSETS.length)
    const allowed = 10 + lateness.stop()
    const first = Date.parse(tenfold[0]!.ts)
    tenfold.forEach((f, i) => {
      const late = Date.parse(f.ts) - first - OFFSETS[i]! / 10
      assert.ok(Math.abs(late) <= allowed, `frame ${i} is ${late} ms off`)
    })
    const many = Array.from({ length: 5000 }, (_, i) => i * 1000)
    const big = join(folder.dir, 'meter', 'long.jsonl')
    writeFileSync(big, recording(many))
    const fast = await play('max', { file: big, speed: 'max' }, many.length)
    assert.deepEqual(
      fast.map((f) => f.data),
      many.map((_, i) => `V=${i}`),
    )
    const took = Date.parse(fast.at(-1)!.ts) - Date.parse(fast[0]!.ts)
    assert.ok(took < 5000 * 1000, `83 minutes of data played in ${took} ms`)
  })

  test('a client write is echoed back (writes: echo) or dropped (writes: ignore)', async () => {
    await play('echo', { file, speed: 'max', writes: 'echo' }, OFFSETS.length)
    client.send({ type: 'write', port: 'echo', data: 'PING', id: 'e' })
    await client.nextMessage('ack', (m) => m.id === 'e')
    await client.nextMessage('data', (m) => m.port === 'echo' && m.data === 'PING')
    await play('quiet', { file, speed: 'max', writes: 'ignore' }, OFFSETS.length)
    client.send({ type: 'write', port: 'quiet', data: 'PING', id: 'q' })
    await client.nextMessage('ack', (m) => m.id === 'q')
    client.send({ type: 'write', port: 'echo', data: 'AFTER', id: 'a' })
    await client.nextMessage('data', (m) => m.port === 'echo' && m.data === 'AFTER')
    const quietData = client.messages().filter((m) => m.type === 'data' && m.port === 'quiet')
    assert.ok(quietData.every((m) => m.type === 'data' && m.data !== 'PING'))
  })

  test('a missing file is a clear port error; a name outside the folder is refused', async () => {
    await bridge.engine.addPort({
      id: 'gone',
      path: 'sim:replay',
      autoOpen: false,
      replay: { file: 'meter/none.jsonl' },
    })
    const gone = await bridge.engine.openPort('gone')
    assert.deepEqual(gone, {
      ok: false,
      errors: [
        `sim:replay: the replay file ${join(folder.dir, 'meter', 'none.jsonl')} does not exist`,
      ],
    })
    assert.equal(bridge.engine.listPorts().find((p) => p.id === 'gone')?.state, 'error')
    await bridge.engine.addPort({
      id: 'out',
      path: 'sim:replay',
      autoOpen: false,
      replay: { file: '../x.jsonl' },
    })
    const out = await bridge.engine.openPort('out')
    assert.equal(out.ok, false)
    assert.equal(
      !out.ok && out.errors[0],
      'sim:replay: replay.file "../x.jsonl": not a recording name',
    )
    const missing = await bridge.engine.addPort({ id: 'bare', path: 'sim:replay' })
    assert.deepEqual(missing, {
      ok: false,
      errors: [
        'replay: path sim:replay needs replay: {"file": "meter/2026-11-23T09-15-02Z.jsonl"}',
      ],
    })
  })
})
