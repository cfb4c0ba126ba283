import assert from 'node:assert/strict'
import type { Socket } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { startEngine } from '../helpers/engine-fixture'
import { waitFor } from '../helpers/wait'
import { TestClient } from '../helpers/ws-client'

const LIMIT = 64 * 1024

describe('a client whose unread replies keep its buffer full', () => {
  let bridge: Awaited<ReturnType<typeof startEngine>>

  before(async () => {
    bridge = await startEngine({
      server: { clientBufferBytes: LIMIT },
      ports: [{ id: 'meter', path: 'sim:demo', autoOpen: false }],
    })
  })
  after(async () => {
    await bridge.stop()
  })

  test('is closed with 1013 once its backlog has stayed over clientBufferBytes for 10 s', async () => {
    const a = await TestClient.connect(bridge.url + '/ws')
    const client = [...bridge.engine.server().registry.all()][0]!
    const server = client.ws
    const socket = (a.ws as unknown as { _socket: Socket })._socket
    socket.pause()
    // Fill the kernel's buffers, then a little more: over the limit, short of twice it. Each
    // step's replies (`ports`, ~0.7 KB each) add less than the limit.
    let sent = 0
    while (server.bufferedAmount <= LIMIT) {
      for (let i = 0; i < 40; i++) a.send({ type: 'list', id: sent++ })
      await waitFor(() => client.framesIn === sent, { what: 'the server to read them' })
      // Until the kernel has taken what it can: the backlog no longer changes.
      let last = -1
      await waitFor(
        () => {
          const same = server.bufferedAmount === last
          last = server.bufferedAmount
          return same
        },
        { what: 'the backlog to settle', everyMs: 20 },
      )
    }
    assert.ok(server.bufferedAmount < 2 * LIMIT, `${server.bufferedAmount} bytes unsent`)
    const full = Date.now()
    await waitFor(() => server.readyState !== server.OPEN, {
      what: 'the server to close the client',
      timeoutMs: 20_000,
      everyMs: 50,
    })
    const heldMs = Date.now() - full
    socket.resume()
    const closed = await a.closed
    assert.equal(closed.code, 1013)
    assert.ok(heldMs >= 9000, `closed after ${heldMs} ms`)
  })
})
