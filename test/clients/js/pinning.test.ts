import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createNetServer, type AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { join, resolve } from 'node:path'
import { createServer, type Server } from 'node:tls'
import { generate } from 'selfsigned'
import { connect, ConnectFailed, Frame } from '../../../clients/js/src/index'
import { waitFor } from '../../helpers/wait'
import { installClient } from './helpers/client-build'
import { javascriptExamples } from './helpers/docs-examples'
import { MeterRig } from './helpers/rig'

const ROOT = resolve(import.meta.dirname, '../../..')

const TOKEN = 'pinning-token-0123'

/** The same 32 pairs with the last one changed: a certificate that is not this one. */
const otherThan = (fingerprint: string): string =>
  fingerprint.slice(0, -2) + (fingerprint.endsWith('00') ? '01' : '00')

/**
 * `connect(url, { fingerprint })` against headless mode with `server.tls: "auto"` (a
 * self-signed certificate): the right pin connects and streams without turning verification
 * off; a wrong one is refused in words, and a TLS server of the test's own shows that not a
 * byte (no upgrade, no token) was sent to it.
 */
describe('pinning the bridge certificate by its fingerprint', () => {
  let rig: MeterRig
  let fingerprint = ''
  before(async () => {
    rig = await MeterRig.start({ tls: 'auto', token: TOKEN })
    const [, printed] = await rig.headless.stdout.waitFor(/^tls: SHA-256 fingerprint (\S+)$/, {
      alive: () => rig.headless.running,
    })
    fingerprint = printed!
  })
  after(() => rig?.stop())

  test('the right pin connects and streams; without one the self-signed certificate is refused', async () => {
    assert.match(rig.headless.url, /^wss:\/\//)
    const unpinned = await connect(rig.headless.url, { token: TOKEN }).catch((e) => e)
    assert.ok(unpinned instanceof ConnectFailed, String(unpinned))
    assert.match(unpinned.message, /self-signed certificate/)

    const bridge = await connect(rig.headless.url, { token: TOKEN, fingerprint })
    try {
      const stream = bridge.stream('meter')
      await stream.ready
      await rig.meter.write('V=1.25\n')
      const first = (await stream.next()).value
      assert.ok(first instanceof Frame, String(first))
      assert.equal(first.text, 'V=1.25')
    } finally {
      await bridge.close()
    }
    // Written the other ways people copy it: lower case, or the 64 digits alone.
    for (const pin of [fingerprint.toLowerCase(), fingerprint.replaceAll(':', '')]) {
      const again = await connect(rig.headless.url, { token: TOKEN, fingerprint: pin })
      assert.deepEqual(
        (await again.ports()).map((p) => p.id),
        ['meter'],
      )
      await again.close()
    }
  })

  test('a wrong pin is refused in words, naming the certificate it saw', async () => {
    const wrong = otherThan(fingerprint)
    const error = await connect(rig.headless.url, { token: TOKEN, fingerprint: wrong }).catch(
      (e) => e,
    )
    assert.ok(error instanceof ConnectFailed, String(error))
    assert.equal(
      error.message,
      `127.0.0.1:${rig.headless.port} did not present the pinned certificate: its SHA-256 ` +
        `fingerprint is ${fingerprint}, the pin is ${wrong}. Nothing was sent (no token). If ` +
        'the bridge made a new certificate, pin the fingerprint it shows now.',
    )
    assert.doesNotMatch(error.message, new RegExp(TOKEN))
  })

  test('a wrong pin sends nothing: the TLS server hears a handshake and not one byte after it', async () => {
    const pem = await generate([{ name: 'commonName', value: '127.0.0.1' }], { keyType: 'ec' })
    const received: Buffer[] = []
    let handshakes = 0
    let closed = 0
    // TLS 1.2: the server completes its handshake before the client can check the certificate
    // (the client's Finished comes first), so anything the client sent next would arrive here.
    const tls12 = { cert: pem.cert, key: pem.private, maxVersion: 'TLSv1.2' } as const
    const server: Server = createServer(tls12, (socket) => {
      handshakes += 1
      socket.on('data', (chunk: Buffer) => received.push(chunk))
      socket.on('error', () => {})
      socket.on('close', () => (closed += 1))
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    try {
      const { port } = server.address() as AddressInfo
      const error = await connect(`wss://127.0.0.1:${port}`, {
        token: TOKEN,
        fingerprint: otherThan(fingerprint),
      }).catch((e) => e)
      assert.ok(error instanceof ConnectFailed, String(error))
      assert.match(error.message, /did not present the pinned certificate/)
      // Whatever the client sent has arrived once the server sees the connection closed.
      await waitFor(() => closed === 1, { what: 'the server to see the connection close' })
      assert.equal(handshakes, 1, 'the handshake completed (the certificate was read)')
      assert.equal(Buffer.concat(received).length, 0, 'no upgrade request, no token')
    } finally {
      server.close()
    }
  })

  test('a pin with ws:// or a malformed pin is refused before connecting', async () => {
    const plain = await connect('ws://127.0.0.1:9', { fingerprint }).catch((e) => e)
    assert.ok(plain instanceof ConnectFailed)
    assert.match(plain.message, /plain ws:\/\/: use the wss:\/\/ address Serial Bridge shows/)
    const malformed = await connect(rig.headless.url, { fingerprint: 'AB:CD' }).catch((e) => e)
    assert.ok(malformed instanceof ConnectFailed)
    assert.match(malformed.message, /32 pairs of hex digits joined by ":" \(AB:CD:…\), not "AB:CD"/)
  })
  test('a TLS handshake that never ends is dropped when connecting gives up', async () => {
    // Accepts the connection and never answers the handshake.
    let closed = 0
    const silent = createNetServer((socket) => {
      socket.resume() // reads, so that the client's end of the connection is seen
      socket.on('close', () => (closed += 1))
    })
    silent.listen(0, '127.0.0.1')
    await once(silent, 'listening')
    try {
      const { port } = silent.address() as AddressInfo
      const error = await connect(`wss://127.0.0.1:${port}`, {
        fingerprint,
        connectTimeoutMs: 300,
      }).catch((e) => e)
      assert.ok(error instanceof ConnectFailed, String(error))
      assert.match(error.message, /no hello from .* within 300 ms/)
      await waitFor(() => closed === 1, { what: 'the half-made connection dropped' })
    } finally {
      silent.close()
    }
  })

  test("the docs' TLS example runs as written (but for the address, token and fingerprint)", async () => {
    const example = javascriptExamples().tls
    const documented = /fingerprint:\s*'(\S+)'/.exec(example)![1]!
    // A clean clone has no node_modules/.cache yet.
    const cache = join(ROOT, 'node_modules', '.cache')
    mkdirSync(cache, { recursive: true })
    const project = mkdtempSync(join(cache, 'sb-pinning-docs-'))
    try {
      installClient(project)
      writeFileSync(
        join(project, 'example.mjs'),
        example
          .replace("'wss://127.0.0.1:8765'", `'${rig.headless.url}'`)
          .replace("'my-lab-token'", `'${TOKEN}'`)
          .replace(documented, fingerprint),
      )
      const child = spawn(process.execPath, ['example.mjs'], { cwd: project })
      let out = ''
      let err = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      child.stderr.on('data', (d: Buffer) => (err += d.toString()))
      const exited = once(child, 'exit')
      await rig.meter.waitForLine('*IDN?', 30_000)
      await rig.meter.write('ACME,Model 42,A1234,2.1\n')
      const [code] = await exited
      assert.equal(code, 0, err)
      assert.equal(out, '*IDN? -> ACME,Model 42,A1234,2.1\n')
    } finally {
      rmSync(project, { recursive: true, force: true })
    }
  })
})
