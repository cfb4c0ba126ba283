import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, describe, test } from 'node:test'
import { generate } from 'selfsigned'
import { createEngine } from '../../../main/core/engine'
import { settingsSchema } from '../../../common/settings-schema'
import { connectSnippets } from '../../../renderer/src/connect/snippets'
import { portUrl } from '../../../renderer/src/connect/port-url'
import { HeadlessProcess } from '../../helpers/headless-process'
import { startEngine } from '../../helpers/engine-fixture'
import { TestClient } from '../../helpers/ws-client'

/**
 * TLS for the lab network: `server.tls` "auto" (a self-signed certificate kept in the data
 * folder) and given files; wss only; the fingerprint printed and pinned by the Connect
 * panel's own Python and Node.js snippets, run for real.
 */

const ROOT = resolve(import.meta.dirname, '../../..')
const PYTHON = '/usr/bin/python3'
const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/
const SNIPPET_DIR = join(ROOT, 'node_modules', '.cache', 'sb-snippets')
const dirs: string[] = []
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-tls-'))
  dirs.push(dir)
  return dir
}

/** Runs a snippet until its first line of output (it streams forever) or its exit. */
async function runSnippet(
  language: 'python' | 'node',
  code: string,
): Promise<{ firstLine: string | null; code: number | null; stderr: string }> {
  mkdirSync(SNIPPET_DIR, { recursive: true })
  const file = join(
    SNIPPET_DIR,
    `snippet-${process.pid}-${Date.now()}.${language === 'python' ? 'py' : 'mjs'}`,
  )
  writeFileSync(file, code)
  const child = spawn(language === 'python' ? PYTHON : process.execPath, [file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  try {
    return await new Promise((resolveRun, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`snippet gave no line in 20 s: ${stderr}`))
      }, 20_000)
      child.stdout.once('data', (d: Buffer) => {
        clearTimeout(timer)
        child.kill('SIGKILL')
        resolveRun({ firstLine: d.toString().split('\n')[0]!, code: null, stderr })
      })
      child.once('exit', (exitCode) => {
        clearTimeout(timer)
        resolveRun({ firstLine: null, code: exitCode, stderr })
      })
    })
  } finally {
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit')
    rmSync(file, { force: true })
  }
}

async function makeCertificateFiles(dir: string) {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  })
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  writeFileSync(cert, pems.cert)
  writeFileSync(key, pems.private)
  return { cert, key, pem: pems.cert }
}

/** What openssl says, so the documented format is checked against the usual tool. */
function opensslFingerprint(certFile: string): string {
  const out = execFileSync(
    'openssl',
    ['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256'],
    {
      encoding: 'utf8',
    },
  )
  return out.trim().split('=')[1]!
}

describe('TLS on the lab network', () => {
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
    rmSync(SNIPPET_DIR, { recursive: true, force: true })
  })

  test('"auto": wss only, the fingerprint printed and pinned, plain ws:// refused, the certificate kept across restarts', async () => {
    const data = tempDir()
    const config = {
      server: { port: 0, tls: 'auto', token: 'lab-token-123' },
      ports: [{ id: 'demo', path: 'sim:demo' }],
    }
    const first = HeadlessProcess.start(config, ['--data', data])
    let fingerprint: string
    try {
      const url = await first.url()
      assert.match(url, /^wss:\/\/127\.0\.0\.1:\d+$/)
      fingerprint = (await first.line(/^tls: SHA-256 fingerprint (\S+)$/))[1]!
      assert.match(fingerprint, FINGERPRINT)
      assert.equal(fingerprint, opensslFingerprint(join(data, 'tls', 'server-cert.pem')))

      const streamUrl = portUrl(url, 'demo', 'lab-token-123')
      const reading = /^(T=\d+\.\d\d,RH=\d+\.\d|SerialBridge,SimulatedInstrument,.*)$/
      for (const language of ['python', 'node'] as const) {
        const snippet = connectSnippets(streamUrl, 'demo', fingerprint).find(
          (s) => s.id === language,
        )!
        assert.match(snippet.code, /FINGERPRINT = /)
        const pinned = await runSnippet(language, snippet.code)
        assert.match(
          pinned.firstLine ?? `(no line) ${pinned.stderr}`,
          reading,
          `${language} pinned`,
        )
        const wrong = fingerprint.replace(/^../, fingerprint.startsWith('00') ? '11' : '00')
        const refused = await runSnippet(
          language,
          connectSnippets(streamUrl, 'demo', wrong).find((s) => s.id === language)!.code,
        )
        assert.equal(refused.firstLine, null, `${language} with a wrong pin printed nothing`)
        assert.notEqual(refused.code, 0)
        assert.match(refused.stderr, new RegExp(`not the pinned certificate: ${fingerprint}`))
      }

      const plain = url.replace(/^wss:/, 'ws:')
      assert.equal(await TestClient.refusal(`${plain}/ws?token=lab-token-123`), 400)
      const http = await fetch(plain.replace(/^ws:/, 'http:') + '/')
      assert.equal(http.status, 400)
      assert.match(
        await http.text(),
        /speaks TLS only: connect with wss:\/\/ \(tools\) or https:\/\//,
      )
    } finally {
      await first.stop()
    }

    const second = HeadlessProcess.start(config, ['--data', data])
    try {
      await second.url()
      const again = (await second.line(/^tls: SHA-256 fingerprint (\S+)$/))[1]!
      assert.equal(again, fingerprint, 'the same certificate after a restart')
      assert.doesNotMatch(second.stderr, /made a self-signed certificate/)
    } finally {
      await second.stop()
    }
  })

  test('given files: wss with that certificate; clients that trust it connect, others do not', async () => {
    const files = await makeCertificateFiles(tempDir())
    const bridge = await startEngine({
      server: { tls: { cert: files.cert, key: files.key } },
      ports: [{ id: 'demo', path: 'sim:demo' }],
    })
    try {
      const status = bridge.engine.getServerStatus()
      assert.match(status.url ?? '', /^wss:\/\//)
      assert.equal(status.fingerprint, opensslFingerprint(files.cert))
      const client = await TestClient.connect(`${status.url}/ws`, { ca: files.pem })
      assert.equal((await client.nextMessage('hello')).ports[0]!.id, 'demo')
      await client.close()
      await assert.rejects(TestClient.connect(`${status.url}/ws`), /self-signed certificate/)
    } finally {
      await bridge.stop()
    }
  })

  test('a certificate that cannot be used is an error naming the field; a corrupt "auto" one is made anew', async () => {
    const dir = tempDir()
    const settings = settingsSchema.parse({
      server: {
        port: 0,
        tls: { cert: join(dir, 'missing.pem'), key: join(dir, 'missing-key.pem') },
      },
    })
    const engine = createEngine({ settings })
    const status = await engine.start()
    assert.equal(status.state, 'error')
    assert.match(status.error ?? '', /^server\.tls\.cert: cannot read .*missing\.pem/)
    await engine.stop()

    const lines: string[] = []
    mkdirSync(join(dir, 'tls'))
    writeFileSync(join(dir, 'tls', 'server-cert.pem'), 'not a certificate')
    writeFileSync(join(dir, 'tls', 'server-key.pem'), 'not a key')
    const auto = createEngine({
      settings: settingsSchema.parse({ server: { port: 0, tls: 'auto' } }),
      dataDir: dir,
      log: (line) => lines.push(line),
    })
    try {
      const started = await auto.start()
      assert.equal(started.state, 'listening', started.error)
      assert.match(lines.join('\n'), /is not a usable certificate .*making a new certificate/)
      assert.equal(started.fingerprint, opensslFingerprint(join(dir, 'tls', 'server-cert.pem')))
      assert.notEqual(readFileSync(join(dir, 'tls', 'server-key.pem'), 'utf8'), 'not a key')
    } finally {
      await auto.stop()
    }

    const noFolder = createEngine({
      settings: settingsSchema.parse({ server: { port: 0, tls: 'auto' } }),
    })
    assert.match((await noFolder.start()).error ?? '', /"auto" needs a data folder/)
    await noFolder.stop()
  })
})
