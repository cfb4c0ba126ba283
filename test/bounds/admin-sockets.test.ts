import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import WebSocket from 'ws'
import { ADMIN_PATH } from '../../common/admin-wire'
import type { Engine } from '../../common/engine-api'
import { createAdminChannel, MAX_ADMIN_SOCKETS } from '../../main/admin/admin-channel'
import { faultsToStderr } from '../../main/core/fault-log'
import { startEngine } from '../helpers/engine-fixture'
import { waitFor } from '../helpers/wait'

const ATTEMPTS = 300
const TOKEN = 'admin-token-for-tests-0123456789'

/** Resolves with the open socket, or the HTTP status it was refused with. */
function attempt(url: string): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url)
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    ws.once('error', () => resolve(-1))
  })
}

describe('admin sockets (the web UI of --ui mode)', () => {
  let bridge: Awaited<ReturnType<typeof startEngine>>
  const warnings: Error[] = []
  const onWarning = (w: Error) => warnings.push(w)

  before(async () => {
    let engine: Engine | null = null
    bridge = await startEngine(
      {},
      { extensions: [createAdminChannel(() => engine!, TOKEN, { logFault: faultsToStderr })] },
    )
    engine = bridge.engine
    process.on('warning', onWarning)
  })
  after(async () => {
    process.off('warning', onWarning)
    await bridge.stop()
  })

  test(`are capped: ${ATTEMPTS} attempts open ${MAX_ADMIN_SOCKETS}, the rest get 503`, async () => {
    const url = `${bridge.url}${ADMIN_PATH}?adminToken=${TOKEN}`
    const results = await Promise.all(Array.from({ length: ATTEMPTS }, () => attempt(url)))
    const open = results.filter((r): r is WebSocket => r instanceof WebSocket)
    assert.equal(open.length, MAX_ADMIN_SOCKETS)
    assert.equal(results.filter((r) => r === 503).length, ATTEMPTS - MAX_ADMIN_SOCKETS)
    // A socket that leaves frees its place.
    await new Promise<void>((resolve) => {
      open[0]!.once('close', () => resolve())
      open[0]!.close()
    })
    const again = await waitFor(async () => {
      const r = await attempt(url)
      return r instanceof WebSocket ? r : null
    })
    for (const ws of [...open.slice(1), again]) ws.terminate()
    assert.deepEqual(
      warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message),
      [],
    )
  })
})
