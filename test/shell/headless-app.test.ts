import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import WebSocket from 'ws'
import { runHeadlessApp, type HeadlessApp } from '../../main/shell/headless-app'
import { waitFor } from '../helpers/wait'

/** Electron's `app` as headless mode uses it (the binary cannot run here). */
class AppStandIn implements HeadlessApp {
  gpuOff = false
  exitCode: number | null = null
  constructor(readonly userData: string) {}
  disableHardwareAcceleration(): void {
    this.gpuOff = true
  }
  getPath(): string {
    return this.userData
  }
  exit(code: number): void {
    this.exitCode = code
  }
}

describe('the installed app as the bridge alone (--headless)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-headless-app-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  test('runs the engine from the config file without a window, logs to the file, stops on SIGTERM', async () => {
    const config = join(dir, 'bridge.json')
    const log = join(dir, 'bridge.log')
    writeFileSync(
      config,
      JSON.stringify({
        server: { port: 0, tls: 'auto' },
        ports: [{ id: 'demo', path: 'sim:demo' }],
      }),
    )
    const app = new AppStandIn(join(dir, 'user-data'))
    const signals = new EventEmitter()
    let stdout = ''
    const exited = runHeadlessApp(app, {
      argv: ['--config', config, '--log', log],
      uiDir: join(dir, 'no-ui'),
      signals: signals as unknown as NodeJS.Process,
      stdout: (t) => void (stdout += t),
      stderr: (t) => assert.fail(`nothing on stderr with --log: ${t}`),
    })
    const url = await waitFor(() => /^listening on (wss:\/\/\S+)$/m.exec(stdout)?.[1], {
      what: 'the listening line',
      timeoutMs: 20_000,
    })
    assert.equal(app.gpuOff, true)
    // The auto certificate went to the app's own data folder.
    assert.match(stdout, /^tls: SHA-256 fingerprint [0-9A-F:]{95}$/m)
    const ws = new WebSocket(`${url}/ws`, { rejectUnauthorized: false })
    const hello = await new Promise<{ type: string }>((resolve, reject) => {
      ws.once('message', (d) => resolve(JSON.parse(String(d)) as { type: string }))
      ws.once('error', reject)
    })
    assert.equal(hello.type, 'hello')
    ws.close()
    signals.emit('SIGTERM')
    assert.equal(await exited, 0)
    assert.equal(app.exitCode, 0)
    const { readFileSync } = await import('node:fs')
    const logged = readFileSync(log, 'utf8')
    assert.match(
      logged,
      /^\S+Z tls: made a self-signed certificate in .*user-data.tls.server-cert\.pem$/m,
    )
    assert.match(logged, /^\S+Z listening on wss:/m)
    assert.match(logged, /^\S+Z port demo \(sim:demo\) open$/m)
  })

  test('wrong arguments exit with code 2 and the usage', async () => {
    const app = new AppStandIn(dir)
    let stderr = ''
    const code = await runHeadlessApp(app, {
      argv: ['--config'],
      uiDir: dir,
      signals: new EventEmitter() as unknown as NodeJS.Process,
      stdout: () => undefined,
      stderr: (t) => void (stderr += t),
    })
    assert.equal(code, 2)
    assert.equal(app.exitCode, 2)
    assert.match(stderr, /argument missing[^]*"Serial Bridge\.exe" --headless --config FILE/)
  })
})
