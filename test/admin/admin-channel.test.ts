import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ADMIN_TOKEN_REFUSED, type AdminMessage } from '../../common/admin-wire'
import { createAdminChannel } from '../../main/admin/admin-channel'
import { faultsToStderr } from '../../main/core/fault-log'
import type { Engine } from '../../common/engine-api'
import { startEngine } from '../helpers/engine-fixture'
import { TestClient } from '../helpers/ws-client'

const ADMIN_TOKEN = 'admin-token-0123456789abcdef'

/** The real admin channel on a real engine: who may reach /admin, and what it answers. */
describe('admin channel: who may connect', () => {
  let bridge: Awaited<ReturnType<typeof startEngine>>
  let adminUrl: string
  let origin: string

  before(async () => {
    let engine: Engine | null = null
    bridge = await startEngine(
      { server: { token: 'tools-token-0123' }, ports: [{ id: 'sim', path: 'sim:demo' }] },
      {
        extensions: [createAdminChannel(() => engine!, ADMIN_TOKEN, { logFault: faultsToStderr })],
      },
    )
    engine = bridge.engine
    adminUrl = `${bridge.url}/admin`
    origin = bridge.url.replace(/^ws/, 'http')
  })
  after(() => bridge.stop())

  test('no admin token, or a wrong one, is closed with 4401 before any operation is served', async () => {
    // The socket opens so that the page can tell "token refused" (a browser never sees a 401).
    for (const given of ['', '?adminToken=wrong', '?adminToken=tools-token-0123']) {
      const admin = await TestClient.connect(`${adminUrl}${given}`)
      admin.send({ seq: 1, op: 'listPorts', args: [] })
      const closed = await admin.closed
      assert.equal(closed.code, ADMIN_TOKEN_REFUSED, given)
      assert.equal(
        admin.received.some((r) => r.data.includes('"result"')),
        false,
        'no operation answered',
      )
    }
  })

  test('a page from another origin is refused with 403, even with the right token', async () => {
    for (const other of ['http://evil.example', 'http://localhost:1', 'null']) {
      assert.equal(
        await TestClient.refusal(`${adminUrl}?adminToken=${ADMIN_TOKEN}`, { origin: other }),
        403,
        other,
      )
    }
  })

  test('a foreign Host is refused (403) before the admin channel sees the request', async () => {
    assert.equal(
      await TestClient.refusal(`${adminUrl}?adminToken=${ADMIN_TOKEN}`, {
        headers: { host: 'evil.example' },
      }),
      403,
    )
  })

  test('the page the server served (same origin) and tools without Origin are let in', async () => {
    for (const options of [{ origin }, {}]) {
      const admin = await TestClient.connect(`${adminUrl}?adminToken=${ADMIN_TOKEN}`, options)
      admin.send({ seq: 1, op: 'listPorts', args: [] })
      const answer = await admin.next((r) => {
        const m = JSON.parse(r.data) as AdminMessage
        return m.kind === 'result' && m.seq === 1 ? m : undefined
      })
      assert.ok(answer.ok)
      assert.deepEqual(
        (answer.value as Array<{ id: string }>).map((p) => p.id),
        ['sim'],
      )
      await admin.close()
    }
  })
})

describe('admin channel over TLS (server.tls)', () => {
  test('the page served over https is its own origin; the http origin of the same host is not', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-admin-tls-'))
    let engine: Engine | null = null
    const bridge = await startEngine(
      { server: { tls: 'auto' } },
      {
        dataDir,
        extensions: [createAdminChannel(() => engine!, ADMIN_TOKEN, { logFault: faultsToStderr })],
      },
    )
    engine = bridge.engine
    try {
      const url = `${bridge.url}/admin?adminToken=${ADMIN_TOKEN}`
      const tls = { rejectUnauthorized: false }
      const page = await TestClient.connect(url, {
        ...tls,
        origin: bridge.url.replace(/^wss/, 'https'),
      })
      await page.close()
      const plain = bridge.url.replace(/^wss/, 'http')
      assert.equal(await TestClient.refusal(url, { ...tls, origin: plain }), 403)
    } finally {
      await bridge.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
