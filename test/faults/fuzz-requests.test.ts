import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { createAdminChannel } from '../../main/admin/admin-channel'
import { serveStaticUi } from '../../main/admin/static-ui'
import type { Engine } from '../../common/engine-api'
import { startEngine } from '../helpers/engine-fixture'
import { getRequest, rawRequest } from '../helpers/raw-http'
import { TestClient } from '../helpers/ws-client'

const RUNS = 1000
const ADMIN_TOKEN = 'admin-token-for-the-fuzz-0123'
const TOOLS_TOKEN = 'tools-token-for-the-fuzz-0123'

/** Pieces a request target is made of: plain, escaped, malformed and URL-special. */
const targetPiece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcxyz019-._~/') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ...['%', '%2', '%25', '%E0', '%E0%A4%A', '%A4', '%2F', '%2f', '%2e%2e', '%00', '%zz'],
      ...['[', ']', '@', ':', '//', '..', '../', '?', '&', '=', ';', '*', '+'],
    ),
  },
  // Characters a request line may not carry: the HTTP parser's own 400.
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ...['\\', '#', '"', '<', '>', '{', '|', '^', '`', '\u00e9', '\t', ' '],
    ),
  },
)
const target = fc
  .tuple(
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          ...['/', '/ws', '/ports/', '/ports/demo', '/app', '/app/', '/app/index.html', '/admin'],
        ),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          ...['//', '///', '/\\', '\\', '', '*', 'http://127.0.0.1/', 'ws://x/', '/admin/'],
        ),
      },
    ),
    fc.oneof(
      fc.constant(''),
      fc.array(targetPiece, { maxLength: 8 }).map((pieces) => pieces.join('')),
    ),
    fc.constantFrom(
      '',
      '?format=json',
      '?format=%',
      '?token=%zz',
      `?token=${TOOLS_TOKEN}`,
      `?adminToken=${ADMIN_TOKEN}`,
    ),
  )
  .map(([prefix, rest, query]) => prefix + rest + query)

/**
 * Header values as a client could send them: mostly printable, sometimes any byte but CR and
 * LF (which end the line; control bytes are the HTTP parser's own 400).
 */
const headerText = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.string({ unit: fc.constantFrom(...' []:@%/.-_=+*;,abcz019'), maxLength: 24 }),
  },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc
        .integer({ min: 0x00, max: 0xff })
        .filter((c) => c !== 0x0d && c !== 0x0a)
        .map((c) => String.fromCharCode(c)),
      maxLength: 24,
    }),
  },
)
/** Half the time absent. */
const maybe = <T>(value: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(value, { nil: undefined, freq: 2 })

const request = fc.record({
  method: fc.oneof(
    { weight: 4, arbitrary: fc.constant('GET') },
    fc.constantFrom('HEAD', 'POST', 'OPTIONS', 'DELETE', 'BREW'),
  ),
  target,
  upgrade: fc.boolean(),
  // Rarely absent: Node answers a request without Host with its own 400.
  host: fc.option(
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc.constantFrom('127.0.0.1', 'localhost', '[::1]', '127.0.0.1:8', 'LOCALHOST'),
      },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          ...['[::1]evil.com', '[::1]:80@evil', 'localhost:evil', '[::1', '[', ':', ''],
          ...['evil.example', '127.0.0.1:99999', ' 127.0.0.1 ', '127.0.0.1:', 'localhost:+80'],
        ),
      },
      { weight: 1, arbitrary: headerText },
    ),
    { nil: undefined, freq: 10 },
  ),
  origin: maybe(fc.oneof(fc.constantFrom('null', 'http://evil.example', 'SELF'), headerText)),
  authorization: maybe(
    fc.oneof(
      headerText.map((t) => `Bearer ${t}`),
      headerText,
    ),
  ),
  key: fc.oneof({ weight: 3, arbitrary: fc.constant('dGhlIHNhbXBsZSBub25jZQ==') }, headerText),
  version: fc.oneof({ weight: 3, arbitrary: fc.constant('13') }, headerText),
  protocol: maybe(headerText),
  extra: maybe(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), headerText)),
})

type FuzzRequest = typeof request extends fc.Arbitrary<infer R> ? R : never

function requestText(r: FuzzRequest, port: number): Buffer {
  const lines = [`${r.method} ${r.target} HTTP/1.1`]
  if (r.host !== undefined) lines.push(`Host: ${r.host}`)
  if (r.origin !== undefined) {
    lines.push(`Origin: ${r.origin === 'SELF' ? `http://127.0.0.1:${port}` : r.origin}`)
  }
  if (r.authorization !== undefined) lines.push(`Authorization: ${r.authorization}`)
  if (r.upgrade) {
    lines.push('Upgrade: websocket', 'Connection: Upgrade')
    lines.push(`Sec-WebSocket-Key: ${r.key}`, `Sec-WebSocket-Version: ${r.version}`)
    if (r.protocol !== undefined) lines.push(`Sec-WebSocket-Protocol: ${r.protocol}`)
  }
  // A body length would make the server wait for a body this test never sends.
  if (r.extra && !['content-length', 'transfer-encoding'].includes(r.extra[0])) {
    lines.push(`${r.extra[0]}: ${r.extra[1]}`)
  }
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1')
}

describe('fuzzing request targets, headers and upgrades (fast-check, raw sockets)', () => {
  const faults: string[] = []
  const logFault = (where: string, error: unknown): void => {
    faults.push(`${where}: ${(error as Error).stack ?? String(error)}`)
  }
  const ui = mkdtempSync(join(tmpdir(), 'sb-fuzz-ui-'))
  let bridge: Awaited<ReturnType<typeof startEngine>>
  let port: number

  before(async () => {
    mkdirSync(join(ui, 'assets'))
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Serial Bridge</title>')
    writeFileSync(join(ui, 'assets', 'app.js'), 'export {}')
    let engine: Engine | null = null
    bridge = await startEngine(
      { server: { token: TOOLS_TOKEN }, ports: [{ id: 'demo', path: 'sim:demo' }] },
      {
        logFault,
        extensions: [
          serveStaticUi(ui, logFault),
          createAdminChannel(() => engine!, ADMIN_TOKEN, { logFault }),
        ],
      },
    )
    engine = bridge.engine
    port = Number(new URL(bridge.url).port)
  })
  after(async () => {
    await bridge.stop()
    rmSync(ui, { recursive: true, force: true })
  })

  test('every request is answered below 500 (or closed), and the server still answers GET /', async () => {
    const seen = new Map<number | null, number>()
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const text = requestText(r, port)
        const answer = await rawRequest(port, text)
        seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1)
        assert.ok(answer.status === null || answer.status < 500, `${answer.head} ← ${text}`)
        assert.equal((await rawRequest(port, getRequest('/'))).status, 200, `alive after ${text}`)
      }),
      { numRuns: RUNS, seed: 20261207 },
    )
    assert.deepEqual(faults, [], 'no fault of ours was caught on the way')
    // The cases reached every kind of answer, not only the HTTP parser's own 400.
    for (const status of [101, 200, 400, 401, 403, 404]) {
      assert.ok(seen.has(status), `no case was answered ${status}: ${JSON.stringify([...seen])}`)
    }
  })

  test('the admin channel answers or ignores any frame, and keeps answering', async () => {
    const admin = await TestClient.connect(`${bridge.url}/admin?adminToken=${ADMIN_TOKEN}`)
    const op = fc.constantFrom(
      ...['listPorts', 'getSettings', 'listClients', 'nope', '__proto__', 'constructor'],
    )
    const call = fc.record(
      { seq: fc.oneof(fc.integer(), fc.jsonValue()), op, args: fc.jsonValue() },
      { requiredKeys: [] },
    )
    const frame = fc.oneof(
      call.map((c) => JSON.stringify(c)),
      call.map((c) => JSON.stringify(c).replace('"seq"', '"seq":1,"seq"')),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.nat(100_000).map((depth) => `{"seq":1,"op":"listPorts","args":${'['.repeat(depth)}`),
      fc.string({ maxLength: 60 }),
    )
    let check = 0
    await fc.assert(
      fc.asyncProperty(frame, async (text) => {
        admin.send(text)
        const seq = 1_000_000 + check++
        admin.send({ seq, op: 'listPorts', args: [] })
        await admin.next((m) => (m.data.includes(`"seq":${seq},`) ? true : undefined))
      }),
      { numRuns: 200, seed: 7 },
    )
    assert.deepEqual(faults, [])
    await admin.close()
  })
})
