import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Socket } from 'node:net'
import { startLineBridge, type LineBridge } from '../../helpers/line-bridge'
import { describeOnLines, type TestInstrument } from '../../helpers/test-lines'
import { TestClient } from '../../helpers/ws-client'
import { waitFor } from '../../helpers/wait'

const LIMIT = 64 * 1024
const LINE = 'x'.repeat(60)
const LINES = 300_000 // 18.3 MB: more than the kernel's socket buffers can hide

describeOnLines('a client that never reads', (kind) => {
  let rig: LineBridge
  let bridge: LineBridge['bridge']
  let instrument: TestInstrument

  before(async () => {
    rig = await startLineBridge(
      kind.line('slow'),
      { id: 'fast' },
      { server: { clientBufferBytes: LIMIT } },
    )
    ;({ bridge, instrument } = rig)
  })
  after(async () => {
    await rig.stop()
  })

  test('has frames dropped past clientBufferBytes, is told `lagged` when it drains, and never slows the others', async () => {
    const slow = await TestClient.connect(bridge.url + '/ports/fast?format=json')
    const readers = await Promise.all(
      [1, 2].map(() => TestClient.connect(bridge.url + '/ports/fast')),
    )
    const slowId = bridge.engine.listClients()[0]!.id
    const slowSocket = (slow.ws as unknown as { _socket: Socket })._socket
    slowSocket.pause()

    let peakBuffered = 0
    const sampler = setInterval(() => {
      const ws = bridge.engine.server().registry.get(slowId)?.ws
      peakBuffered = Math.max(peakBuffered, ws?.bufferedAmount ?? 0)
    }, 5)
    const dropped = () => bridge.engine.listClients().find((c) => c.id === slowId)?.dropped ?? 0
    try {
      const chunk = Buffer.from(`${LINE}\n`.repeat(1000))
      for (let i = 0; i < LINES / 1000; i++) {
        await instrument.write(chunk)
        // Catch up as soon as frames are being dropped, well inside the 10 s lag allowance.
        if (slowSocket.isPaused() && dropped() > 0) slowSocket.resume()
      }
      slowSocket.resume()
      for (const r of readers) {
        await waitFor(() => r.received.length >= LINES, {
          what: 'every line at a reading client',
          timeoutMs: 60_000,
        })
      }
    } finally {
      clearInterval(sampler)
    }

    for (const r of readers) {
      assert.equal(r.received.length, LINES, 'the reading clients lost nothing')
      assert.ok(r.received.every((x) => x.data === LINE))
    }
    assert.ok(dropped() > 0, 'frames were dropped for the slow client')
    // What the bridge holds for it stays bounded: the limit plus the frame that crossed it.
    assert.ok(peakBuffered <= LIMIT + 200, `peak unsent bytes ${peakBuffered}`)

    // Told once per lagging spell, once drained: the counts add up to every frame it missed.
    const laggedTotal = () =>
      slow.messages().reduce((n, m) => n + (m.type === 'lagged' ? m.dropped : 0), 0)
    await waitFor(() => laggedTotal() === dropped(), {
      what: 'lagged messages for every drop',
      timeoutMs: 10_000,
    })
    assert.ok(slow.messages().every((m) => m.type !== 'lagged' || m.port === 'fast'))
    const got = slow.messages().filter((m) => m.type === 'data').length
    assert.equal(got + dropped(), LINES, 'every line was either delivered or counted as dropped')
    for (const r of readers) await r.close()
    await slow.close()
  })

  test('a client lagging for 10 s straight is closed with 1013', async () => {
    const earlier = new Set(bridge.engine.listClients().map((c) => c.id))
    const slow = await TestClient.connect(bridge.url + '/ports/fast')
    const slowId = await waitFor(
      () => bridge.engine.listClients().find((c) => !earlier.has(c.id))?.id,
    )
    const slowSocket = (slow.ws as unknown as { _socket: Socket })._socket
    slowSocket.pause()
    const serverSide = () => bridge.engine.server().registry.get(slowId)?.ws
    const chunk = Buffer.from(`${LINE}\n`.repeat(1000))
    const dropped = () => bridge.engine.listClients().find((c) => c.id === slowId)?.dropped ?? 0
    // Fill its buffer until frames are dropped (bounded: at most 20 MB).
    for (let i = 0; i < 330 && dropped() === 0; i++) await instrument.write(chunk)
    assert.ok(dropped() > 0)
    const lagStart = Date.now()
    await waitFor(() => serverSide()?.readyState === 2, {
      timeoutMs: 15_000,
      what: 'the server to start closing',
    })
    const lagMs = Date.now() - lagStart
    // Reading again now, it drains what was queued and then finds the close frame.
    slowSocket.resume()
    assert.equal((await slow.closed).code, 1013)
    assert.ok(lagMs >= 9_000, `closed after ${lagMs} ms of lag`)
  })
})
