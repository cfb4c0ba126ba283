import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { HeadlessProcess } from '../helpers/headless-process'
import { TestClient } from '../helpers/ws-client'

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
