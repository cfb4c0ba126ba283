import assert from 'node:assert/strict'
import { request } from 'node:http'
import { describe, test } from 'node:test'
import WebSocket from 'ws'
import type { RefusedConnection } from '../../../common/engine-api'
import { startEngine } from '../../helpers/engine-fixture'
import { getRequest, rawRequest, upgradeRequest } from '../../helpers/raw-http'
import { TestClient } from '../../helpers/ws-client'
import { nextEvent, waitFor } from '../../helpers/wait'

describe('upgrade safety on both endpoints', () => {
  test('binds 127.0.0.1 by default', async () => {
    const bridge = await startEngine()
    try {
      assert.match(bridge.url, /^ws:\/\/127\.0\.0\.1:\d+$/)
    } finally {
      await bridge.stop()
    }
  })

  test('a foreign Origin is refused with 403 and recorded; an allowed one connects', async () => {
    const bridge = await startEngine({
      server: { allowedOrigins: ['http://localhost:3000'] },
      ports: [{ id: 'sim', path: 'sim:demo', autoOpen: false }],
    })
    try {
      const refused = nextEvent<RefusedConnection>((l) => bridge.engine.on('refused', l))
      for (const path of ['/ws', '/ports/sim']) {
        assert.equal(
          await TestClient.refusal(bridge.url + path, { origin: 'https://evil.example' }),
          403,
        )
      }
      const first = await refused
      assert.equal(first.reason, 'origin')
      assert.equal(first.origin, 'https://evil.example')
      assert.equal(bridge.engine.listRefused().length, 2)
      const ok = await TestClient.connect(bridge.url + '/ws', { origin: 'http://localhost:3000' })
      await ok.nextMessage('hello')
      assert.equal(bridge.engine.listClients()[0]?.origin, 'http://localhost:3000')
      await ok.close()
    } finally {
      await bridge.stop()
    }
  })

  test('a foreign Host header (DNS rebinding) is refused with 403, loopback names with any port pass', async () => {
    const bridge = await startEngine()
    try {
      for (const host of ['evil.example', 'evil.example:8765', '192.0.2.1']) {
        assert.equal(await TestClient.refusal(bridge.url + '/ws', { headers: { host } }), 403, host)
      }
      for (const host of ['localhost', 'localhost:1234', '127.0.0.1:9', '[::1]:8765']) {
        const c = await TestClient.connect(bridge.url + '/ws', { headers: { host } })
        await c.close()
      }
      const status = await new Promise<number>((resolve, reject) => {
        const port = new URL(bridge.url).port
        request(
          { host: '127.0.0.1', port, path: '/', headers: { host: 'evil.example' } },
          (res) => {
            res.resume()
            resolve(res.statusCode ?? 0)
          },
        )
          .on('error', reject)
          .end()
      })
      assert.equal(status, 403)
    } finally {
      await bridge.stop()
    }
  })

  test('the Host header is parsed strictly: a name and an optional numeric port, or 403', async () => {
    const bridge = await startEngine({ ports: [{ id: 'sim', path: 'sim:demo', autoOpen: false }] })
    try {
      const port = Number(new URL(bridge.url).port)
      const refused = ['[::1]evil.com', '[::1]:80@evil', 'localhost:evil', 'localhost:80:80']
      refused.push('localhost:99999', '127.0.0.1:', '[::1', 'localhost evil', 'localhost:+80')
      for (const host of refused) {
        for (const request of [
          getRequest('/', { Host: host }),
          upgradeRequest('/ws', { Host: host }),
        ]) {
          assert.equal((await rawRequest(port, request)).status, 403, host)
        }
      }
      assert.equal(bridge.engine.listRefused().at(-1)?.reason, 'host')
      for (const host of ['localhost', 'LOCALHOST:8765', '127.0.0.1:1', '[::1]', '[::1]:65535']) {
        assert.equal(
          (await rawRequest(port, upgradeRequest('/ws', { Host: host }))).status,
          101,
          host,
        )
      }
    } finally {
      await bridge.stop()
    }
  })

  test('with a token: missing or wrong is 401, ?token= and Bearer are accepted', async () => {
    const bridge = await startEngine({
      server: { token: 's3cret-token-123' },
      ports: [{ id: 'sim', path: 'sim:demo', autoOpen: false }],
    })
    try {
      assert.equal(await TestClient.refusal(bridge.url + '/ws'), 401)
      assert.equal(await TestClient.refusal(bridge.url + '/ws?token=wrong'), 401)
      assert.equal(await TestClient.refusal(bridge.url + '/ports/sim?token=s3cret-token-12'), 401)
      assert.equal(bridge.engine.listRefused().at(-1)?.reason, 'token')
      const q = await TestClient.connect(bridge.url + '/ports/sim?token=s3cret-token-123')
      const b = await TestClient.connect(bridge.url + '/ws', {
        headers: { authorization: 'Bearer s3cret-token-123' },
      })
      await b.nextMessage('hello')
      await q.close()
      await b.close()
    } finally {
      await bridge.stop()
    }
  })

  test('a token is required to bind beyond loopback (the setting names the field)', async () => {
    const result = await (await startEngine()).engine
    try {
      const checked = await result.updateServerSettings({ host: '0.0.0.0' })
      assert.equal(checked.ok, false)
      assert.match(!checked.ok ? checked.errors.join() : '', /server\.token/)
    } finally {
      await result.stop()
    }
  })

  test('one client past maxClients gets 503, counting both endpoints', async () => {
    const bridge = await startEngine({
      server: { maxClients: 2 },
      ports: [{ id: 'sim', path: 'sim:demo' }],
    })
    try {
      const a = await TestClient.connect(bridge.url + '/ws')
      const b = await TestClient.connect(bridge.url + '/ports/sim')
      assert.equal(await TestClient.refusal(bridge.url + '/ws'), 503)
      assert.equal(await TestClient.refusal(bridge.url + '/ports/sim'), 503)
      assert.equal(bridge.engine.listRefused().at(-1)?.reason, 'capacity')
      await a.close()
      await b.close()
      const c = await TestClient.connect(bridge.url + '/ws')
      await c.close()
    } finally {
      await bridge.stop()
    }
  })

  test('a frame over maxPayloadBytes closes that client with 1009; others are unaffected', async () => {
    const bridge = await startEngine({ server: { maxPayloadBytes: 4096 } })
    try {
      const big = await TestClient.connect(bridge.url + '/ws')
      const other = await TestClient.connect(bridge.url + '/ws')
      big.ws.send('x'.repeat(5000))
      assert.equal((await big.closed).code, 1009)
      other.send({ type: 'ping', id: 1 })
      await other.nextMessage('pong')
      await other.close()
    } finally {
      await bridge.stop()
    }
  })

  test('a half-open client that stops answering pings is terminated within two heartbeats', async () => {
    const bridge = await startEngine({ server: { heartbeatSeconds: 1 } })
    try {
      const silent = new WebSocket(bridge.url + '/ws', { autoPong: false })
      await new Promise((resolve) => silent.once('open', resolve))
      let pings = 0
      silent.on('ping', () => (pings += 1))
      const healthy = await TestClient.connect(bridge.url + '/ws')
      const code = await new Promise<number>((resolve) => silent.once('close', (c) => resolve(c)))
      assert.equal(code, 1006, 'terminated, not closed politely')
      // Counted in heartbeats, not milliseconds: a busy machine delays both alike.
      assert.ok(pings >= 1 && pings <= 2, `terminated after ${pings} unanswered pings`)
      assert.equal(healthy.ws.readyState, WebSocket.OPEN)
      await waitFor(() => bridge.engine.listClients().length === 1, {
        what: 'the registry to drop the silent client',
      })
      await healthy.close()
    } finally {
      await bridge.stop()
    }
  })
})
