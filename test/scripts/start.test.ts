import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { ROOT } from '../helpers/headless-process'

/**
 * `npm start` on a machine that cannot download Electron. Electron's real installer runs and
 * really fails to download; the mirror is a local server that refuses, so the test fails the
 * same way on a machine with internet, and never downloads 100 MB or touches node_modules.
 */
describe('npm start without the Electron binary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-start-'))
  let mirror: Server
  let mirrorUrl = ''
  const asked: string[] = []

  before(async () => {
    mirror = createServer((req, res) => {
      asked.push(req.url ?? '')
      res.writeHead(404).end()
    })
    await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve))
    mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`
  })
  after(async () => {
    await new Promise((resolve) => mirror.close(resolve))
    rmSync(dir, { recursive: true, force: true })
  })

  test('tries the download, then fails with one sentence saying why and what works instead', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ELECTRON_MIRROR: mirrorUrl,
        // An empty place for the binary and the download cache: "not installed" on any machine.
        ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'dist'),
        electron_config_cache: join(dir, 'cache'),
      },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const code = await new Promise((resolve) => child.once('close', resolve))
    assert.equal(code, 1)
    assert.equal(stdout, '')
    const lines = stderr.trimEnd().split('\n')
    assert.deepEqual(lines.slice(0, 1), ['Downloading the Electron binary (once)…'])
    assert.equal(lines.length, 2, stderr)
    assert.match(
      lines[1]!,
      /^npm start needs the Electron binary, which is not installed and could not be downloaded \(.*404.*\), so the desktop app cannot start on this machine; headless mode runs without it: npx serial-bridge --config examples\/demo\.json --ui$/,
    )
    assert.ok(
      asked.some((url) => url.includes('electron-v45')),
      `asked the mirror: ${asked}`,
    )
  })
})
