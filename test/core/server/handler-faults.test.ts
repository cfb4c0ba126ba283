import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ServerExtension } from '../../../main/core/server/bridge-server'
import { startEngine } from '../../helpers/engine-fixture'
import { getRequest, rawRequest, upgradeRequest } from '../../helpers/raw-http'
import { TestClient } from '../../helpers/ws-client'
import { waitFor } from '../../helpers/wait'

/** A bug of ours, planted where outside events enter: each is answered, logged, and survived. */
describe('a fault inside a handler', () => {
  const start = async (extensions: ServerExtension[] = []) => {
    const faults: string[] = []
    const bridge = await startEngine(
      { ports: [{ id: 'demo', path: 'sim:demo' }] },
      { extensions, logFault: (where, error) => faults.push(`${where}: ${String(error)}`) },
    )
    return { bridge, faults, port: Number(new URL(bridge.url).port) }
  }

  test('in an HTTP handler answers 500, is logged, and the next request is served', async () => {
    const { bridge, faults, port } = await start([
      {
        http: (_req, _res, { path }) => {
          if (path === '/boom') throw new Error('planted bug')
          return false
        },
      },
    ])
    try {
      const answer = await rawRequest(port, getRequest('/boom'))
      assert.equal(answer.status, 500)
      assert.deepEqual(faults, ['HTTP GET request: Error: planted bug'])
      assert.equal((await rawRequest(port, getRequest('/'))).status, 200)
    } finally {
      await bridge.stop()
    }
  })

  test('in an upgrade handler destroys that one socket, is logged, and others connect', async () => {
    const { bridge, faults, port } = await start([
      {
        upgrade: (_req, _socket, _head, { path }) => {
          if (path === '/boom') throw new Error('planted bug')
          return false
        },
      },
    ])
    try {
      const other = await TestClient.connect(bridge.url + '/ws')
      await other.nextMessage('hello')
      const answer = await rawRequest(port, upgradeRequest('/boom'))
      assert.equal(answer.status, null, 'closed without an answer')
      assert.deepEqual(faults, ['WebSocket upgrade: Error: planted bug'])
      other.send({ type: 'ping', id: 1 })
      await other.nextMessage('pong')
      const next = await TestClient.connect(bridge.url + '/ws')
      await next.close()
      await other.close()
    } finally {
      await bridge.stop()
    }
  })

  test('in an engine listener (called from a port read or a connection) is logged, not thrown', async () => {
    const { bridge, faults } = await start()
    try {
      bridge.engine.on('clients', () => {
        throw new Error('clients listener bug')
      })
      bridge.engine.on('frame', () => {
        throw new Error('frame listener bug')
      })
      const c = await TestClient.connect(bridge.url + '/ws')
      await c.nextMessage('hello')
      c.send({ type: 'subscribe', ports: ['demo'] })
      await c.nextMessage('data')
      await waitFor(() => faults.some((f) => f.includes('clients listener bug')))
      await waitFor(() => faults.some((f) => f.includes('frame listener bug')))
      c.send({ type: 'ping', id: 2 })
      await c.nextMessage('pong')
      await c.close()
    } finally {
      await bridge.stop()
    }
  })
})
