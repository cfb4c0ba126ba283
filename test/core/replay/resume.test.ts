import assert from 'node:assert/strict'
import type { Socket } from 'node:net'
import { after, before, describe, test } from 'node:test'
import type { ServerMessage } from '../../../common/protocol'
import { startPtyBridge, type PtyBridge } from '../../helpers/pty-bridge'
import { waitFor } from '../../helpers/wait'
import { TestClient } from '../../helpers/ws-client'

type Data = Extract<ServerMessage, { type: 'data' }>
type Gap = Extract<ServerMessage, { type: 'gap' }>

const lines = (prefix: string, from: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${from + i}`)

/** The data and gap messages a client got for `port`, in order, from message `from` on. */
function stream(client: TestClient, from = 0, port = 'meter'): Array<Data | Gap> {
  return client
    .messages()
    .slice(from)
    .filter((m): m is Data | Gap => (m.type === 'data' || m.type === 'gap') && m.port === port)
}

describe('resume on /ws (feature "resume")', () => {
  let rig: PtyBridge
  let witness: TestClient
  let epoch = ''

  /** Writes the lines and waits until the witness (subscribed all along) has the last one. */
  async function play(text: string[]): Promise<Data> {
    await rig.instrument.write(text.join('\n') + '\n')
    return witness.nextMessage('data', (m) => m.data === text.at(-1), { timeoutMs: 30_000 })
  }

  async function resumer(): Promise<TestClient> {
    const client = await TestClient.connect(`${rig.bridge.url}/ws`)
    await client.nextMessage('hello')
    return client
  }

  before(async () => {
    rig = await startPtyBridge('resume', { id: 'meter', baudRate: 115200 })
    witness = await TestClient.connect(`${rig.bridge.url}/ws`)
    const hello = await witness.nextMessage('hello')
    assert.ok(hello.features?.includes('resume'), 'hello lists "resume"')
    epoch = hello.epoch!
    witness.send({ type: 'subscribe', ports: ['meter'] })
    await witness.nextMessage('subscribed')
  })
  after(async () => {
    await witness?.close()
    await rig?.stop()
  })

  test('frames the ring no longer holds: one gap naming exactly them, then what it holds', async () => {
    const first = await play(['before'])
    await rig.bridge.engine.updateServerSettings({ replayFrames: 10 })
    try {
      const last = await play(lines('M', 1, 30))
      const client = await resumer()
      client.send({ type: 'subscribe', ports: ['meter'], since: { meter: first.seq }, epoch })
      await client.nextMessage('data', (m) => m.seq === last.seq)
      assert.deepEqual(stream(client), [
        { type: 'gap', port: 'meter', from: first.seq + 1, to: last.seq - 10 },
        ...lines('M', 21, 10).map((data, i) => ({
          type: 'data',
          port: 'meter',
          data,
          encoding: 'utf8',
          ts: (stream(client)[1 + i] as Data).ts,
          seq: last.seq - 9 + i,
        })),
      ])
      await client.close()
    } finally {
      await rig.bridge.engine.updateServerSettings({ replayFrames: 10_000 })
    }
  })

  test('the ring is bounded in bytes too (server.replayBytes)', async () => {
    const first = await play(['start'])
    // 100 bytes a frame: 1000 bytes hold the last 10.
    await rig.bridge.engine.updateServerSettings({ replayBytes: 1000 })
    try {
      const last = await play(lines('W', 1, 40).map((l) => l.padEnd(100, 'x')))
      const client = await resumer()
      client.send({ type: 'subscribe', ports: ['meter'], since: { meter: first.seq }, epoch })
      await client.nextMessage('data', (m) => m.seq === last.seq)
      const got = stream(client)
      assert.deepEqual(got[0], {
        type: 'gap',
        port: 'meter',
        from: first.seq + 1,
        to: last.seq - 10,
      })
      assert.deepEqual(
        got.slice(1).map((m) => (m as Data).seq),
        Array.from({ length: 10 }, (_, i) => last.seq - 9 + i),
      )
      await client.close()
    } finally {
      await rig.bridge.engine.updateServerSettings({ replayBytes: 8 * 1024 * 1024 })
    }
  })

  test('another epoch: a restart gap, then this epoch from its first frame (a gap for what the ring lost)', async () => {
    const last = await play(['after the others'])
    const oldest = last.seq - 10 + 1
    await rig.bridge.engine.updateServerSettings({ replayFrames: 10 })
    const client = await resumer()
    client.send({ type: 'subscribe', ports: ['meter'], since: { meter: 3 }, epoch: 'an-old-epoch' })
    await client.nextMessage('data', (m) => m.seq === last.seq, { timeoutMs: 30_000 })
    await rig.bridge.engine.updateServerSettings({ replayFrames: 10_000 })
    const got = stream(client)
    assert.deepEqual(got.slice(0, 2), [
      { type: 'gap', port: 'meter', from: 4, to: null, restarted: true },
      { type: 'gap', port: 'meter', from: 1, to: oldest - 1 },
    ])
    assert.deepEqual(
      got.slice(2).map((m) => (m as Data).seq),
      Array.from({ length: 10 }, (_, i) => oldest + i),
    )
    await client.close()
  })

  test('nothing new since: subscribed, then live frames only', async () => {
    const last = await play(['quiet'])
    const client = await resumer()
    client.send({ type: 'subscribe', ports: ['meter'], since: { meter: last.seq }, epoch })
    await client.nextMessage('subscribed')
    const next = await play(['next'])
    await client.nextMessage('data', (m) => m.seq === next.seq)
    assert.deepEqual(
      stream(client).map((m) => (m as Data).seq),
      [next.seq],
    )
    await client.close()
  })

  test('since is checked: its epoch, its ports, the ports that exist', async () => {
    const client = await resumer()
    const answer = async (message: object) => {
      const from = client.received.length
      client.send({ ...message, id: 'q' })
      return client.nextMessage('error', () => true, { from })
    }
    const cases: Array<[object, string, RegExp]> = [
      [{ ports: ['meter'], since: { meter: 1 } }, 'BAD_MESSAGE', /^epoch: since needs the epoch/],
      [{ ports: ['meter'], epoch }, 'BAD_MESSAGE', /^epoch: epoch goes with since/],
      [{ ports: ['meter'], since: { other: 1 }, epoch }, 'BAD_MESSAGE', /not in ports: other/],
      [{ ports: ['meter'], since: { meter: -1 }, epoch }, 'BAD_MESSAGE', /^since\.meter: /],
      [{ ports: '*', since: { nope: 1 }, epoch }, 'UNKNOWN_PORT', /unknown port: nope/],
    ]
    for (const [fields, code, message] of cases) {
      const error = await answer({ type: 'subscribe', ...fields })
      assert.equal(error.code, code, JSON.stringify(fields))
      assert.match(error.message, message)
      assert.equal(error.id, 'q')
    }
    assert.ok(!client.messages().some((m) => m.type === 'subscribed'), 'nothing was subscribed')
    await client.close()
  })

  test('an in-process restart of the engine is a new epoch: only its own frames are replayed', async () => {
    const before = await play(['old epoch'])
    await rig.bridge.engine.stop()
    const started = await rig.bridge.engine.start()
    const url = started.url!
    const w = await TestClient.connect(`${url}/ws`)
    const hello = await w.nextMessage('hello')
    assert.notEqual(hello.epoch, epoch)
    w.send({ type: 'subscribe', ports: ['meter'] })
    await w.nextMessage('subscribed')
    await waitFor(() => rig.bridge.engine.listPorts()[0]?.state === 'open', { what: 'the port' })
    await rig.instrument.write('new epoch\n')
    const first = await w.nextMessage('data', (m) => m.data === 'new epoch', { timeoutMs: 10_000 })

    const client = await TestClient.connect(`${url}/ws`)
    await client.nextMessage('hello')
    client.send({ type: 'subscribe', ports: ['meter'], since: { meter: before.seq }, epoch })
    await client.nextMessage('data', (m) => m.seq === first.seq)
    assert.deepEqual(stream(client), [
      { type: 'gap', port: 'meter', from: before.seq + 1, to: null, restarted: true },
      { ...first },
    ])
    await client.close()
    await w.close()
  })
})

describe('the switch from the ring to live frames', () => {
  let rig: PtyBridge

  before(async () => {
    // 2,900 frames to replay take a dozen turns of the event loop (256 a turn, fewer when the
    // client's buffer is half full), while the port keeps reading. The buffer is big enough for
    // the live lines on a busy machine: a dropped live frame would be another matter (lagged).
    rig = await startPtyBridge(
      'resume-switch',
      { id: 'meter', baudRate: 115200 },
      { server: { clientBufferBytes: 256 * 1024 } },
    )
  })
  after(() => rig?.stop())

  /** The port's last seq, as its counter says (no client needed to see it). */
  const framesIn = () => rig.bridge.engine.listPorts()[0]!.metrics.framesIn
  const readUpTo = (seq: number) =>
    waitFor(() => framesIn() >= seq, { timeoutMs: 30_000, what: `frame ${seq} read` })

  test('the frames after since from the ring, then live ones: no duplicate, no gap, while the port keeps reading', async () => {
    await rig.instrument.write(lines('A', 1, 3000).join('\n') + '\n')
    await readUpTo(3000)
    const client = await TestClient.connect(`${rig.bridge.url}/ws`)
    const { epoch } = await client.nextMessage('hello')
    client.send({ type: 'subscribe', ports: ['meter'], since: { meter: 100 }, epoch, id: 7 })
    // Written while the replay is under way, a few lines at a time (a burst would lag the
    // client, which is another matter): the switch to live must be exact.
    for (let n = 1; n <= 1000; n += 10)
      await rig.instrument.write(lines('B', n, 10).join('\n') + '\n')
    await readUpTo(4000)
    await client.nextMessage('data', (m) => m.seq === 4000, { timeoutMs: 30_000 })

    assert.deepEqual(client.messages()[1], { type: 'subscribed', ports: ['meter'], id: 7 })
    const got = stream(client)
    assert.ok(
      got.every((m) => m.type === 'data'),
      'no gap',
    )
    assert.deepEqual(
      got.map((m) => (m as Data).seq),
      Array.from({ length: 3900 }, (_, i) => 101 + i),
      'every seq after since exactly once, in order',
    )
    assert.deepEqual(
      got.map((m) => (m as Data).data),
      [...lines('A', 101, 2900), ...lines('B', 1, 1000)],
    )
    assert.ok(!client.messages().some((m) => m.type === 'lagged'), 'nothing dropped')
    await client.close()
  })
})

describe('resume on a JSON port stream (?since=&epoch=)', () => {
  let rig: PtyBridge
  let epoch = ''

  before(async () => {
    rig = await startPtyBridge('resume-stream', { id: 'meter', baudRate: 115200 })
    const c = await TestClient.connect(`${rig.bridge.url}/ws`)
    epoch = (await c.nextMessage('hello')).epoch!
    await c.close()
  })
  after(() => rig?.stop())

  test('replays after since, then goes live; a gap is a JSON text frame on the stream', async () => {
    const watch = await TestClient.connect(`${rig.bridge.url}/ports/meter?format=json`)
    await rig.instrument.write('one\ntwo\nthree\n')
    const three = await watch.nextMessage('data', (m) => m.data === 'three')
    const url = `${rig.bridge.url}/ports/meter?format=json&since=${three.seq - 2}&epoch=${epoch}`
    const client = await TestClient.connect(url)
    await client.nextMessage('data', (m) => m.seq === three.seq)
    await rig.instrument.write('four\n')
    await client.nextMessage('data', (m) => m.data === 'four')
    assert.deepEqual(
      stream(client).map((m) => (m as Data).data),
      ['two', 'three', 'four'],
    )

    const restarted = await TestClient.connect(
      `${rig.bridge.url}/ports/meter?format=json&since=2&epoch=elsewhere`,
    )
    const gap = await restarted.nextMessage('gap')
    assert.deepEqual(gap, { type: 'gap', port: 'meter', from: 3, to: null, restarted: true })
    await Promise.all([watch.close(), client.close(), restarted.close()])
  })

  test('400 with the reason: text and binary streams, a bad number, one without the other', async () => {
    const base = `${rig.bridge.url}/ports/meter`
    const cases: Array<[string, RegExp]> = [
      [`?since=3&epoch=${epoch}`, /need format=json/],
      [`?format=binary&since=3&epoch=${epoch}`, /need format=json/],
      [`?format=json&since=-1&epoch=${epoch}`, /since must be a seq number/],
      [`?format=json&since=1e3&epoch=${epoch}`, /since must be a seq number/],
      [`?format=json&since=99999999999999999999&epoch=${epoch}`, /since must be a seq number/],
      [`?format=json&since=3`, /give since and epoch once each/],
      [`?format=json&epoch=${epoch}`, /give since and epoch once each/],
      [`?format=json&since=3&since=4&epoch=${epoch}`, /give since and epoch once each/],
    ]
    for (const [query, reason] of cases) {
      const refused = await TestClient.refusedWith(base + query)
      assert.equal(refused.status, 400, query)
      assert.match(refused.body, reason, query)
    }
    assert.equal(rig.bridge.engine.listRefused().at(-1)?.reason, 'bad-request')
  })
})

describe('a client too slow to take its replay', () => {
  const LIMIT = 64 * 1024
  const LINE = 'y'.repeat(60)
  const LINES = 200_000
  let rig: PtyBridge

  before(async () => {
    rig = await startPtyBridge(
      'resume-slow',
      { id: 'meter', baudRate: 115200 },
      { server: { clientBufferBytes: LIMIT, replayFrames: LINES, replayBytes: 64 << 20 } },
    )
  })
  after(() => rig?.stop())

  test('the replay waits for it within the bound, then it is closed with 1013; the others read on', async () => {
    const reader = await TestClient.connect(`${rig.bridge.url}/ports/meter`)
    const chunk = Buffer.from(`${LINE}\n`.repeat(1000))
    for (let i = 0; i < LINES / 1000; i++) await rig.instrument.write(chunk)
    await waitFor(() => reader.received.length >= LINES, { timeoutMs: 60_000, what: 'every line' })

    const slow = await TestClient.connect(`${rig.bridge.url}/ws`)
    const hello = await slow.nextMessage('hello')
    const socket = (slow.ws as unknown as { _socket: Socket })._socket
    socket.pause()
    slow.send({ type: 'subscribe', ports: ['meter'], since: { meter: 0 }, epoch: hello.epoch })
    let peak = 0
    const sampler = setInterval(() => {
      const ws = rig.bridge.engine.server().registry.get(hello.clientId)?.ws
      peak = Math.max(peak, ws?.bufferedAmount ?? 0)
    }, 5)
    try {
      // The port goes on meanwhile, and its other clients get every line.
      await rig.instrument.write('still reading\n')
      await waitFor(() => reader.received.at(-1)?.data === 'still reading', { what: 'a live line' })
      // The server gives up on it after 10 s; then it may read its close frame.
      await waitFor(
        () => rig.bridge.engine.server().registry.get(hello.clientId)?.ws.readyState !== 1,
        { timeoutMs: 20_000, what: 'the slow client to be let go' },
      )
    } finally {
      clearInterval(sampler)
    }
    socket.resume()
    const { code, reason } = await slow.closed
    assert.equal(code, 1013)
    assert.match(reason, /client too slow: the replay waited 10 s/)
    // What the bridge queued for it stayed bounded: half the limit plus one frame.
    assert.ok(peak <= LIMIT / 2 + 200, `peak unsent bytes ${peak}`)
    assert.ok(peak > 0, 'it did queue some')
    await reader.close()
  })
})
