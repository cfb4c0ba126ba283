import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { WebSocketServer, type WebSocket } from 'ws'
import { connect, Unsupported, type Bridge } from '../../../clients/js/src/index'

/**
 * An older Serial Bridge (protocol 1, no `features` in its hello) cannot run here, so a real
 * `ws` server on port 0 stands in for it: it says hello as version 0.1 did and records what it
 * is sent, which must be nothing the client knows it lacks.
 */
describe('@serial-bridge/client against an older server (stand-in)', () => {
  let server: WebSocketServer
  let bridge: Bridge
  const received: string[] = []

  before(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise<void>((resolve) => server.once('listening', resolve))
    server.on('connection', (ws: WebSocket) => {
      ws.on('message', (data) => received.push(String(data)))
      ws.send(
        JSON.stringify({
          type: 'hello',
          protocol: 1,
          server: 'Serial Bridge 0.1.0',
          clientId: 'c1',
          ports: [],
        }),
      )
    })
    const { port } = server.address() as AddressInfo
    bridge = await connect(`ws://127.0.0.1:${port}`)
  })
  after(async () => {
    await bridge.close()
    for (const ws of server.clients) ws.terminate()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  test('what the server does not announce is refused before anything is sent', async () => {
    assert.deepEqual(bridge.hello.features ?? [], [])
    await assert.rejects(
      bridge.startPoll('meter', 'volt', 'MEAS:VOLT?', { intervalMs: 500 }),
      (e: unknown) => e instanceof Unsupported && /"polls"/.test(e.message),
    )
    await assert.rejects(bridge.query('meter', 'X?', { expect: /^V=/ }), Unsupported)
    await assert.rejects(bridge.query('meter', 'X?', { expectLines: 2 }), Unsupported)
    assert.equal(bridge.connected, true)
    assert.deepEqual(
      received.filter((m) => /startPoll|expect/.test(m)),
      [],
      'none of them reached the server',
    )
  })
})
