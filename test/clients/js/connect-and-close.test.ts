import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { WebSocketServer } from 'ws'
import { connect, ConnectFailed } from '../../../clients/js/src/index'
import { MeterRig } from './helpers/rig'

const TOKEN = 'js-client-token-0123'

/** A TCP port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('connecting and closing', () => {
  // The instrument never answers: a query stays waiting until the client closes.
  let rig: MeterRig
  let bridgeUrl = ''

  before(async () => {
    rig = await MeterRig.start({ token: TOKEN })
    bridgeUrl = rig.headless.url
  })
  after(() => rig?.stop())

  test('the token is sent as ?token= and a client name as ?client=', async () => {
    const bridge = await connect(bridgeUrl, { token: TOKEN, client: 'lab-rig-2' })
    try {
      const url = new URL(bridge.url)
      assert.equal(url.pathname, '/ws')
      assert.equal(url.searchParams.get('token'), TOKEN)
      assert.equal(url.searchParams.get('client'), 'lab-rig-2')
      assert.deepEqual(
        (await bridge.ports()).map((p) => p.id),
        ['meter'],
      )
    } finally {
      await bridge.close()
    }
  })

  test('a refused upgrade fails with ConnectFailed carrying the status and the reason', async () => {
    const missing = await connect(bridgeUrl).catch((e) => e)
    assert.ok(missing instanceof ConnectFailed, String(missing))
    assert.equal(missing.status, 401)
    assert.match(missing.message, /HTTP 401 A token is required/)
    const wrong = await connect(bridgeUrl, { token: 'not-the-token' }).catch((e) => e)
    assert.equal(wrong.status, 401)
    assert.match(wrong.message, /Wrong token/)
    assert.doesNotMatch(
      wrong.message,
      /not-the-token/,
      'a message, which ends up in logs, never holds the token',
    )
    const away = await connect(`ws://127.0.0.1:${await closedPort()}`, {
      token: 'secret-token',
    }).catch((e: Error) => e)
    assert.match(String(away), /token=\*\*\*/)
    assert.doesNotMatch(String(away), /secret-token/)
  })

  test('nothing listening: ConnectFailed says so, and nothing is retried', async () => {
    const url = `ws://127.0.0.1:${await closedPort()}`
    const error = await connect(url).catch((e) => e)
    assert.ok(error instanceof ConnectFailed, String(error))
    assert.equal(error.code, 'CONNECT_FAILED')
    assert.match(error.message, /ECONNREFUSED/)
    assert.match(error.message, /Is Serial Bridge running/)
  })

  test('a WebSocket server that is not Serial Bridge: no hello, ConnectFailed', async () => {
    const other = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await once(other, 'listening')
    try {
      const { port } = other.address() as AddressInfo
      const error = await connect(`ws://127.0.0.1:${port}`, { connectTimeoutMs: 300 }).catch(
        (e) => e,
      )
      assert.ok(error instanceof ConnectFailed, String(error))
      assert.match(error.message, /no hello from .* within 300 ms/)
    } finally {
      for (const ws of other.clients) ws.terminate()
      await new Promise<void>((resolve) => other.close(() => resolve()))
    }
  })

  test('an address that is not a WebSocket URL is refused before connecting', async () => {
    await assert.rejects(connect('127.0.0.1:8765'), ConnectFailed)
    await assert.rejects(connect('ftp://127.0.0.1:8765'), /not a WebSocket URL/)
    await assert.rejects(connect(`${bridgeUrl}/ports/meter`), /is a port stream/)
  })

  test('after close() nothing keeps Node running: the process ends by itself', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'fixtures/close-leaves-nothing.ts'),
        bridgeUrl,
        TOKEN,
      ],
      {
        env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.runtime.json' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    // A client that left a timer or a socket behind would keep the process alive: fail then.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null]
    clearTimeout(timer)
    assert.equal(signal, null, `still running after 60 s: ${out}${err}`)
    assert.equal(code, 0, `${out}${err}`)
    assert.match(out, /^query: ConnectionLost$/m)
    assert.match(out, /^stream: ended$/m)
    assert.match(out, /^write: ConnectionLost$/m)
    const resources = JSON.parse(/^resources: (.*)$/m.exec(out)![1]!) as string[]
    assert.ok(!resources.includes('Timeout'), JSON.stringify(resources))
    assert.ok(!resources.includes('TCPSocketWrap'), JSON.stringify(resources))
  })
})
