import assert from 'node:assert/strict'
import type { Socket } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { EngineProcess, heldBytes } from '../helpers/engine-process'
import { waitFor } from '../helpers/wait'
import { TestClient } from '../helpers/ws-client'

const MiB = 1024 * 1024

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
const REQUESTS = 200_000

describe('a client that sends requests but never reads the replies', () => {
  let engine: EngineProcess

  before(async () => {
    engine = await EngineProcess.start({
      ports: [{ id: 'meter', path: 'sim:demo', autoOpen: false }],
    })
  })
  after(async () => {
    await engine.stop()
  })

  test('is closed with 1013 once its replies pile up; memory comes back, others are served', async (t) => {
    const b = await TestClient.connect(engine.url + '/ws')
    const a = await TestClient.connect(engine.url + '/ws')
    const aId = (await engine.clients()).at(-1)!.id
    const baseline = await engine.memory()
    const closing = engine.closing(aId)
    const socket = (a.ws as unknown as { _socket: Socket })._socket
    socket.pause()
    const request = JSON.stringify({ type: 'list' })
    for (let i = 0; i < REQUESTS; i++) a.ws.send(request)
    b.send({ type: 'ping', id: 'during' })
    await b.nextMessage('pong', (m) => m.id === 'during', { timeoutMs: 30_000 })
    await withTimeout(closing, 60_000, 'the server to close A')

    // Reading now, A drains its backlog and finds the close frame.
    socket.resume()
    const closed = await a.closed
    assert.equal(closed.code, 1013)
    assert.equal(closed.reason, 'client too slow: replies not read')
    const replies = a.received.length - 1
    t.diagnostic(`A got ${replies} of ${REQUESTS} replies before the close`)
    assert.ok(replies < REQUESTS / 2, 'the replies were not all kept for it')

    await waitFor(async () => (await engine.clients()).length === 1, { what: 'A to leave' })
    const grown = heldBytes(await engine.memory()) - heldBytes(baseline)
    t.diagnostic(`heap+external ${(grown / MiB).toFixed(1)} MiB over baseline`)
    assert.ok(grown < 16 * MiB, `heap+external grew ${(grown / MiB).toFixed(1)} MiB`)
    b.send({ type: 'list', id: 'after' })
    await b.nextMessage('ports', (m) => m.id === 'after')
    await b.close()
  })
})
