import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, describe, test } from 'node:test'
import { promisify } from 'node:util'
import { startPtyBridge, type PtyBridge } from '../../helpers/pty-bridge'

const run = promisify(execFile)
const TOKEN = 'urllib-token-1234'
const VIEWER = 'urllib-viewer-1234'
const PAGE = 'http://127.0.0.1:5173'

/**
 * Python's urllib as the REST client: each request of the list is made by /usr/bin/python3, and
 * its status, error code and the headers that matter come back as one JSON line.
 */
const CLIENT = String.raw`
import json, sys, urllib.error, urllib.request
base = sys.argv[1]
for spec in json.loads(sys.argv[2]):
    data = spec.get("body")
    request = urllib.request.Request(
        base + spec["path"],
        data=data.encode() if data is not None else None,
        headers=spec.get("headers", {}),
        method=spec.get("method"),
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, headers, body = response.status, response.headers, json.load(response)
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, json.load(error)
    print(json.dumps({
        "status": status,
        "code": body.get("error", {}).get("code") if isinstance(body, dict) else None,
        "body": body,
        "retryAfter": headers.get("Retry-After"),
        "allowOrigin": headers.get("Access-Control-Allow-Origin"),
    }))
`

interface Seen {
  status: number
  code: string | null
  body: Record<string, unknown>
  retryAfter: string | null
  allowOrigin: string | null
}

describe('REST API with Python urllib', () => {
  let rig: PtyBridge
  let base = ''

  async function urllib(specs: object[]): Promise<Seen[]> {
    const { stdout } = await run('/usr/bin/python3', ['-c', CLIENT, base, JSON.stringify(specs)])
    return stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Seen)
  }
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` })

  before(async () => {
    rig = await startPtyBridge(
      'rest-urllib',
      { id: 'meter', baudRate: 115200 },
      {
        server: {
          token: TOKEN,
          tokens: [{ token: VIEWER, name: 'viewer', readOnly: true }],
          allowedOrigins: [PAGE],
          maxPayloadBytes: 1024,
          maxMessagesPerSecond: 3,
        },
      },
    )
    base = `${rig.bridge.url.replace(/^ws/, 'http')}/api/v1`
    rig.instrument.port.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('*IDN?')) void rig.instrument.write('ACME,URLLIB,1\n')
    })
  })
  after(() => rig?.stop())

  test('every route, and the access rules and errors', async () => {
    const seen = await urllib([
      { path: '/ports' },
      { path: '/ports', headers: auth(TOKEN) },
      { path: `/ports/meter?token=${TOKEN}` },
      { path: '/ports/meter/query', body: '*IDN?', headers: auth(TOKEN) },
      {
        path: '/ports/meter/write',
        body: '{"data":"0d0a","encoding":"hex"}',
        headers: { ...auth(TOKEN), 'Content-Type': 'application/json' },
      },
      { path: '/openapi.json', headers: auth(TOKEN) },
      { path: '/ports/meter/write', body: 'x', headers: auth(VIEWER) },
      { path: '/ports', headers: { ...auth(TOKEN), Origin: 'http://evil.example' } },
      { path: '/ports', headers: { ...auth(TOKEN), Origin: PAGE } },
      { path: '/ports/meter/write', body: 'y'.repeat(2000), headers: auth(TOKEN) },
      { path: '/ports/meter/write', method: 'GET', headers: auth(TOKEN) },
      { path: '/ports/nope', headers: auth(TOKEN) },
      { path: '/nothing', headers: auth(TOKEN) },
      {
        path: '/ports/meter/write',
        body: '{"data":1}',
        headers: { ...auth(TOKEN), 'Content-Type': 'application/json' },
      },
    ])
    const summary = seen.map((s) => [s.status, s.code])
    assert.deepEqual(summary, [
      [401, 'UNAUTHORIZED'],
      [200, null],
      [200, null],
      [200, null],
      [200, null],
      [200, null],
      [403, 'FORBIDDEN'],
      [403, 'FORBIDDEN'],
      [200, null],
      [413, 'TOO_LARGE'],
      [405, 'METHOD_NOT_ALLOWED'],
      [404, 'UNKNOWN_PORT'],
      [404, 'NOT_FOUND'],
      [400, 'BAD_MESSAGE'],
    ])
    assert.equal((seen[2]!.body as { id: string }).id, 'meter')
    assert.equal(seen[3]!.body.data, 'ACME,URLLIB,1')
    assert.deepEqual(seen[4]!.body, { bytes: 2 })
    assert.equal(seen[5]!.body.openapi, '3.1.0')
    assert.equal(seen[7]!.allowOrigin, null)
    assert.equal(seen[8]!.allowOrigin, PAGE)
  })

  test('a port that is not open is 409; an instrument that stays silent is 504; past the rate, 429 with Retry-After', async () => {
    const seen = await urllib([
      {
        path: '/ports/meter/query',
        body: '{"data":"SILENT?","timeoutMs":50}',
        headers: { ...auth(TOKEN), 'Content-Type': 'application/json' },
      },
      ...Array.from({ length: 5 }, () => ({
        path: '/ports/meter/write?client=looping',
        body: 'L',
        headers: auth(TOKEN),
      })),
    ])
    assert.deepEqual([seen[0]!.status, seen[0]!.code], [504, 'TIMEOUT'])
    const limited = seen.slice(1).filter((s) => s.status === 429)
    assert.ok(limited.length >= 1, JSON.stringify(seen.slice(1).map((s) => s.status)))
    for (const s of limited) {
      assert.equal(s.code, 'RATE_LIMITED')
      assert.ok(Number(s.retryAfter) >= 1)
    }
    await rig.bridge.engine.closePort('meter')
    const [closed] = await urllib([
      { path: '/ports/meter/write?client=other', body: 'x', headers: auth(TOKEN) },
    ])
    assert.deepEqual([closed!.status, closed!.code], [409, 'PORT_NOT_OPEN'])
  })

  test('polls and release: start, list and stop a poll; release the port', async () => {
    assert.ok((await rig.bridge.engine.openPort('meter')).ok)
    const json = (token: string) => ({ ...auth(token), 'Content-Type': 'application/json' })
    const seen = await urllib([
      {
        path: '/ports/meter/polls?client=py-start',
        body: '{"name":"idn","command":"*IDN?","intervalMs":1000}',
        headers: json(TOKEN),
      },
      { path: '/ports/meter/polls', headers: auth(VIEWER) },
      {
        path: '/ports/meter/polls?client=py-bad',
        body: '{"command":"*IDN?","intervalMs":5}',
        headers: json(TOKEN),
      },
      { path: '/ports/meter/polls/idn', method: 'DELETE', headers: auth(VIEWER) },
      { path: '/ports/meter/polls/idn?client=py-stop', method: 'DELETE', headers: auth(TOKEN) },
      { path: '/ports/meter/release', body: '{"seconds":60}', headers: json(VIEWER) },
      {
        path: '/ports/meter/release?client=py-release',
        body: '{"seconds":null}',
        headers: json(TOKEN),
      },
    ])
    assert.deepEqual(
      seen.map((s) => [s.status, s.code]),
      [
        [200, null],
        [200, null],
        [400, 'BAD_MESSAGE'],
        [403, 'FORBIDDEN'],
        [200, null],
        [403, 'FORBIDDEN'],
        [200, null],
      ],
    )
    assert.deepEqual(seen[0]!.body, { port: 'meter', name: 'idn', intervalMs: 1000 })
    const polls = seen[1]!.body.polls as Array<{ name: string; owner: string }>
    assert.deepEqual(
      polls.map((p) => [p.name, p.owner]),
      [['idn', 'settings']],
    )
    assert.deepEqual(seen[2]!.body.error, {
      code: 'BAD_MESSAGE',
      message: 'intervalMs: intervalMs must be at least 20 ms',
    })
    assert.deepEqual(seen[4]!.body, { port: 'meter', name: 'idn' })
    assert.deepEqual(seen[6]!.body, { port: 'meter', until: null })
    assert.equal(rig.bridge.engine.listPorts()[0]!.state, 'released')
    assert.deepEqual(rig.bridge.engine.getSettings().ports[0]!.polls, [])
    assert.ok((await rig.bridge.engine.openPort('meter')).ok)
  })
})
