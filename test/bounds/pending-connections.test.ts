import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { EngineProcess } from '../helpers/engine-process'
import { waitFor } from '../helpers/wait'
import { TestClient } from '../helpers/ws-client'

const HALF_SENT = 1800
const FD_LIMIT = 256

/** Opens a connection from `localAddress` that sends the start of a request and never ends it. */
function halfSent(port: number, localAddress: string): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress })
    socket.on('error', () => undefined)
    // Reads (and ignores) what the server answers, so its close is seen.
    socket.resume()
    socket.once('connect', () => {
      socket.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n')
      resolve(socket)
    })
    // Refused before connecting completes: still one attempt made.
    socket.once('close', () => resolve(socket))
  })
}

describe(`${HALF_SENT} half-sent requests against a bridge limited to ${FD_LIMIT} descriptors`, () => {
  let engine: EngineProcess
  let port: number

  before(async () => {
    engine = await EngineProcess.start(
      { ports: [{ id: 'demo', path: 'sim:demo' }] },
      { fdLimit: FD_LIMIT },
    )
    port = Number(new URL(engine.url).port)
  })
  after(async () => {
    await engine.stop()
  })

  test('are capped and timed out; connected clients keep their data and new ones get in', async (t) => {
    const reader = await TestClient.connect(engine.url + '/ports/demo')
    await reader.next((r) => (r.data.startsWith('T=') ? true : undefined), { timeoutMs: 10_000 })
    const attack: Socket[] = []
    for (let i = 0; i < HALF_SENT; i++) attack.push(await halfSent(port, '127.0.0.1'))
    const linesBefore = reader.received.length
    try {
      // Another address still gets in while 127.0.0.1 has used up its share.
      const other = await TestClient.connect(engine.url + '/ws', { localAddress: '127.0.0.2' })
      assert.equal((await other.nextMessage('hello')).protocol, 1)
      await other.close()
      const open = attack.filter((s) => !s.destroyed).length
      t.diagnostic(`${open} of ${HALF_SENT} still open after the burst; ${engine.fdCount()} fds`)
      assert.ok(open <= 32, `${open} half-sent requests held (32 per address)`)
      await waitFor(() => attack.every((s) => s.destroyed), {
        what: 'the server to close every half-sent request',
        timeoutMs: 30_000,
      })
      await waitFor(() => reader.received.length > linesBefore + 2, {
        what: 'data at the connected client',
        timeoutMs: 10_000,
      })
      const next = await TestClient.connect(engine.url + '/ws')
      assert.equal((await next.nextMessage('hello')).protocol, 1)
      await next.close()
      assert.ok(engine.alive)
    } finally {
      for (const s of attack) s.destroy()
      await reader.close()
    }
  })
})
