import assert from 'node:assert/strict'
import type { Socket } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { startEngine } from '../helpers/engine-fixture'
import { waitFor } from '../helpers/wait'
import { TestClient } from '../helpers/ws-client'

describe('heartbeat: only a pong that answers our ping counts', () => {
  let bridge: Awaited<ReturnType<typeof startEngine>>

  before(async () => {
    bridge = await startEngine({ server: { heartbeatSeconds: 1, maxClients: 4 } })
  })
  after(async () => {
    await bridge.stop()
  })

  test('sockets that never read but send pongs of their own are cut off; their slots free up', async () => {
    const reader = await TestClient.connect(bridge.url + '/ws')
    let pings = 0
    reader.ws.on('ping', () => pings++)
    const holders = await Promise.all([1, 2, 3].map(() => TestClient.connect(bridge.url + '/ws')))
    const timers = holders.map((h) => {
      ;(h.ws as unknown as { _socket: Socket })._socket.pause()
      return setInterval(() => h.ws.pong(Buffer.from('alive')), 200)
    })
    try {
      assert.equal(await TestClient.refusal(bridge.url + '/ws'), 503, 'every slot is held')
      await waitFor(() => bridge.engine.listClients().length === 1, {
        what: 'the pong senders to be cut off',
        timeoutMs: 15_000,
      })
      await waitFor(() => pings >= 3, {
        what: 'three pings at the reading client',
        timeoutMs: 15_000,
      })
      assert.equal(reader.ws.readyState, reader.ws.OPEN, 'a client that reads stays')
      const next = await TestClient.connect(bridge.url + '/ws')
      await next.close()
    } finally {
      for (const timer of timers) clearInterval(timer)
      for (const h of holders) h.ws.terminate()
      await reader.close()
    }
  })
})
