import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, test } from 'node:test'
import { HeadlessProcess, ROOT } from '../helpers/headless-process'
import { waitFor } from '../helpers/wait'
import { TestClient } from '../helpers/ws-client'
import { freePort } from '../helpers/free-port'

describe('headless mode', () => {
  test('prints the listening line, serves the simulated port, and on SIGTERM closes clients with 1001 and exits 0', async () => {
    const headless = HeadlessProcess.start({
      server: { port: 0 },
      ports: [{ id: 'demo', path: 'sim:demo' }],
    })
    try {
      const url = await headless.url()
      assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+$/)
      assert.equal(headless.stdout.filter((l) => l.startsWith('listening on')).length, 1)
      const stream = await TestClient.connect(`${url}/ports/demo`)
      await stream.next((r) => (/^T=/.test(r.data) ? true : undefined))
      const control = await TestClient.connect(`${url}/ws`)
      await control.nextMessage('hello')
      assert.equal(await headless.stop('SIGTERM'), 0)
      assert.equal((await stream.closed).code, 1001)
      assert.equal((await control.closed).code, 1001)
    } finally {
      await headless.stop()
    }
  })

  test('SIGINT also stops it cleanly', async () => {
    const headless = HeadlessProcess.start({ server: { port: 0 } })
    try {
      await headless.url()
      assert.equal(await headless.stop('SIGINT'), 0)
    } finally {
      await headless.stop()
    }
  })

  test('a wrong config file exits with code 2 and names the field', async () => {
    const cases: Array<[object | string, RegExp]> = [
      [{ ports: [{ path: 'COM3', baudRate: 'fast' }] }, /ports\[0\]\.baudRate/],
      [{ ports: [{ baudRate: 9600 }] }, /ports\[0\]\.path/],
      [{ server: { port: 70000 } }, /server\.port/],
      [{ server: { host: '0.0.0.0' } }, /server\.token/],
      [{ ports: [{ path: 'COM3', parity: 'maybe' }] }, /ports\[0\]\.parity/],
      [
        { ports: [{ path: 'COM3', framing: { mode: 'delimiter', delimter: '\n' } }] },
        /ports\[0\]\.framing\.delimter: unknown field/,
      ],
      [
        { ports: [{ path: 'COM3' }, { path: '/dev/COM3' }] },
        /ports\[1\]\.id: duplicate port id "COM3"/,
      ],
      ['{"server": {', /not valid JSON/],
      ['', /empty/],
    ]
    for (const [config, message] of cases) {
      const headless = HeadlessProcess.start(config)
      assert.equal(await headless.exited, 2, JSON.stringify(config))
      assert.match(headless.stderr, message)
      await headless.stop()
    }
  })

  test('a hand edit of the file while it runs is loaded: a port added by hand streams', async () => {
    const headless = HeadlessProcess.start({ server: { port: 0 } })
    try {
      const url = await headless.url()
      const text = readFileSync(headless.configPath, 'utf8')
      writeFileSync(
        headless.configPath,
        JSON.stringify({ ...JSON.parse(text), ports: [{ id: 'demo', path: 'sim:demo' }] }),
      )
      await waitFor(() => headless.stderr.includes('config.json was changed on disk: loaded it.'), {
        timeoutMs: 20_000,
        what: 'the reload',
      })
      const stream = await TestClient.connect(`${url}/ports/demo`)
      await stream.next((r) => (/^T=/.test(r.data) ? true : undefined))
      await stream.close()
    } finally {
      await headless.stop()
    }
  })

  test('--port N listens on N, and a wrong --port exits 2 naming the flag', async () => {
    const port = await freePort()
    const headless = HeadlessProcess.start({ server: { port: 0 } }, ['--port', String(port)])
    try {
      assert.equal(await headless.url(), `ws://127.0.0.1:${port}`)
    } finally {
      await headless.stop()
    }
    const wrong = HeadlessProcess.start({}, ['--port', 'http'])
    assert.equal(await wrong.exited, 2)
    assert.match(wrong.stderr, /^--port: "http" is not a port number/)
    await wrong.stop()
  })

  test('`npx serial-bridge --config FILE`: the first line on stdout is its own "listening on"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-npx-'))
    const config = join(dir, 'config.json')
    writeFileSync(config, '{"server":{"port":0}}')
    const npx = spawn('npx', ['--offline', 'serial-bridge', '--config', config], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    try {
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: npx.stdout }).once('line', resolve)
        npx.once('exit', (code) => reject(new Error(`npx exited ${code}`)))
      })
      assert.match(first, /^listening on ws:\/\/127\.0\.0\.1:\d+$/)
    } finally {
      // npx runs the bin in a child of its own: stop the whole group it leads.
      const exited = new Promise((resolve) => npx.once('close', resolve))
      process.kill(-npx.pid!, 'SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a busy address is reported and the exit code is 1', async () => {
    const first = HeadlessProcess.start({ server: { port: 0 } })
    try {
      const port = new URL(await first.url()).port
      const second = HeadlessProcess.start({ server: { port: Number(port) } })
      assert.equal(await second.exited, 1)
      assert.match(second.stderr, /already in use/)
      await second.stop()
    } finally {
      await first.stop()
    }
  })
})
