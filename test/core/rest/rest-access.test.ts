import assert from 'node:assert/strict'
import { request } from 'node:http'
import { after, before, describe, test } from 'node:test'
import { startPtyBridge, type PtyBridge } from '../../helpers/pty-bridge'
import { assertRestError, restClient } from '../../helpers/rest-client'

const TOKEN = 'main-token-1234'
const VIEWER = 'viewer-token-1234'
const PAGE = 'http://127.0.0.1:5173'

const write = (headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'text/plain', ...headers },
  body: 'PING',
})

describe('REST API: the WebSocket endpoints rules (token, read-only, rules, Origin, Host, CORS)', () => {
  let rig: PtyBridge
  let api: ReturnType<typeof restClient>
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

  before(async () => {
    rig = await startPtyBridge(
      'rest-access',
      { id: 'meter', baudRate: 115200 },
      {
        server: {
          token: TOKEN,
          tokens: [{ token: VIEWER, name: 'dashboard', readOnly: true }],
          allowedOrigins: [PAGE],
          clientRules: [
            { match: { name: 'watcher' }, action: 'readOnly' },
            { match: { name: 'intruder' }, action: 'block' },
          ],
        },
      },
    )
    api = restClient(rig.bridge.url)
  })
  after(() => rig?.stop())

  test('a token is required: 401 UNAUTHORIZED without it or with a wrong one', async () => {
    assertRestError(await api('/ports'), 401, 'UNAUTHORIZED', /A token is required/)
    assertRestError(
      await api('/ports', { headers: bearer('nope-nope-nope') }),
      401,
      'UNAUTHORIZED',
      /Wrong token/,
    )
    assertRestError(await api('/ports?token=nope-nope-nope'), 401, 'UNAUTHORIZED')
    // Before the route: a stranger learns nothing about which routes or ports exist.
    assertRestError(await api('/ports/secret-port'), 401, 'UNAUTHORIZED')
    assertRestError(await api('/no-such-route'), 401, 'UNAUTHORIZED')
  })

  test('the token as Authorization: Bearer or ?token=', async () => {
    assert.equal((await api('/ports', { headers: bearer(TOKEN) })).status, 200)
    assert.equal((await api(`/ports?token=${TOKEN}`)).status, 200)
    assert.equal((await api(`/ports/meter/write?token=${TOKEN}`, write())).status, 200)
  })

  test('a read-only token reads but cannot write or query: 403 FORBIDDEN', async () => {
    assert.equal((await api('/ports/meter', { headers: bearer(VIEWER) })).status, 200)
    assertRestError(
      await api('/ports/meter/write', write(bearer(VIEWER))),
      403,
      'FORBIDDEN',
      /read-only/,
    )
    assertRestError(await api('/ports/meter/query', write(bearer(VIEWER))), 403, 'FORBIDDEN')
  })

  test('?client=NAME: rules by name apply (read-only, block); a bad name is 400', async () => {
    assert.equal((await api(`/ports?client=logger&token=${TOKEN}`)).status, 200)
    assertRestError(
      await api(`/ports/meter/write?client=watcher&token=${TOKEN}`, write()),
      403,
      'FORBIDDEN',
    )
    assert.equal((await api(`/ports?client=watcher&token=${TOKEN}`)).status, 200)
    assertRestError(
      await api(`/ports?client=intruder&token=${TOKEN}`),
      403,
      'FORBIDDEN',
      /Blocked by the operator/,
    )
    assertRestError(
      await api(`/ports?client=${'x'.repeat(200)}&token=${TOKEN}`),
      400,
      'BAD_MESSAGE',
      /client=/,
    )
  })

  test('browser pages: only allowed origins, and only they get CORS headers', async () => {
    const allowed = await api('/ports', { headers: { origin: PAGE, ...bearer(TOKEN) } })
    assert.equal(allowed.status, 200)
    assert.equal(allowed.headers.get('access-control-allow-origin'), PAGE)
    assert.equal(allowed.headers.get('vary'), 'Origin')
    // Errors too, so the page can read why.
    const wrong = await api('/ports', { headers: { origin: PAGE } })
    assertRestError(wrong, 401, 'UNAUTHORIZED')
    assert.equal(wrong.headers.get('access-control-allow-origin'), PAGE)

    const evil = await api(
      '/ports/meter/write',
      write({ origin: 'http://evil.example', ...bearer(TOKEN) }),
    )
    assertRestError(evil, 403, 'FORBIDDEN', /Origin "http:\/\/evil\.example" is not allowed/)
    assert.equal(evil.headers.get('access-control-allow-origin'), null)
    // A tool sends no Origin and gets no CORS headers.
    const tool = await api('/ports', { headers: bearer(TOKEN) })
    assert.equal(tool.headers.get('access-control-allow-origin'), null)
  })

  test('preflight: answered for allowed origins (no token needed), refused for others', async () => {
    const preflight = (origin: string, path = '/ports/meter/write') =>
      api(path, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
          'access-control-request-private-network': 'true',
        },
      })
    const ok = await preflight(PAGE)
    assert.equal(ok.status, 204)
    assert.equal(ok.headers.get('access-control-allow-origin'), PAGE)
    assert.equal(ok.headers.get('access-control-allow-methods'), 'POST, OPTIONS')
    assert.equal(ok.headers.get('access-control-allow-headers'), 'Authorization, Content-Type')
    assert.equal(ok.headers.get('access-control-allow-private-network'), 'true')
    assert.ok(Number(ok.headers.get('access-control-max-age')) > 0)

    const evil = await preflight('http://evil.example')
    assertRestError(evil, 403, 'FORBIDDEN')
    assert.equal(evil.headers.get('access-control-allow-origin'), null)
    assertRestError(await preflight(PAGE, '/nothing'), 404, 'NOT_FOUND')
  })

  test('Host must name this machine (DNS rebinding): refused before the API', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: Number(new URL(rig.bridge.url).port),
          path: `/api/v1/ports?token=${TOKEN}`,
          headers: { host: 'evil.example' },
        },
        (res) => {
          let body = ''
          res.on('data', (c: Buffer) => (body += c.toString()))
          res.on('end', () => resolve({ status: res.statusCode!, body }))
        },
      )
      req.on('error', reject)
      req.end()
    })
    assert.equal(answer.status, 403)
    assert.match(answer.body, /Host "evil\.example" is not allowed/)
  })
})
