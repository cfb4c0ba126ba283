import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { HeadlessProcess } from '../helpers/headless-process'
import { getRequest, rawRequest, upgradeRequest } from '../helpers/raw-http'

/**
 * The requests that each stopped headless mode with one unauthenticated request (issue 7),
 * before any Host, Origin or token check. Each is answered now, and the process lives on.
 */
const CRASHERS: Array<[string, string, number]> = [
  ['GET //', getRequest('//'), 400],
  ['GET //[', getRequest('//['), 400],
  ['upgrade to // from a foreign Host', upgradeRequest('//', { Host: 'evil.example' }), 400],
  ['upgrade to /ports/%', upgradeRequest('/ports/%'), 404],
  ['upgrade to /ports/%E0%A4%A', upgradeRequest('/ports/%E0%A4%A'), 404],
  ['GET /app/%', getRequest('/app/%'), 404],
  ['GET /app/%E0', getRequest('/app/%E0'), 404],
]

const MODES: Array<[string, object, string[]]> = [
  ['no token', {}, []],
  ['a token', { token: 's3cret-token-123' }, []],
  ['--ui', {}, ['--ui']],
  ['--ui and a token', { token: 's3cret-token-123' }, ['--ui']],
]

describe('one crafted request against headless mode', () => {
  for (const [mode, server, args] of MODES) {
    test(`with ${mode}: every crash request of issue 7 is a 4xx and the process lives on`, async () => {
      const headless = HeadlessProcess.start(
        { server: { port: 0, ...server }, ports: [{ id: 'demo', path: 'sim:demo' }] },
        args,
      )
      try {
        // The first --ui start may build the UI.
        const port = Number(new URL(await headless.url(120_000)).port)
        for (const [name, request, status] of CRASHERS) {
          assert.equal((await rawRequest(port, request)).status, status, name)
          assert.equal(headless.proc.exitCode, null, `${name}: ${headless.stderr}`)
          assert.equal((await rawRequest(port, getRequest('/'))).status, 200, `alive after ${name}`)
        }
        assert.doesNotMatch(headless.stderr, /fault in|Error/)
      } finally {
        await headless.stop()
      }
    })
  }
})
