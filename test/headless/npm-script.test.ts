import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, test } from 'node:test'
import { waitFor } from '../helpers/wait'

const ROOT = resolve(import.meta.dirname, '../..')

/** Whether something still listens on 127.0.0.1:port (a listen of our own fails then). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

describe('npm run headless', () => {
  test('SIGTERM to the npm process stops headless mode too, and frees the port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-npm-headless-'))
    const config = join(dir, 'config.json')
    writeFileSync(config, JSON.stringify({ server: { port: 0 } }))
    // Its own process group, so whatever it started can be cleaned up even if the test fails.
    const npm = spawn('npm', ['run', '--silent', 'headless', '--', '--config', config], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: dirname(process.execPath) + delimiter + process.env.PATH },
    })
    let stderr = ''
    npm.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    try {
      const lines = createInterface({ input: npm.stdout })
      const [line] = (await Promise.race([
        once(lines, 'line'),
        once(npm, 'exit').then(() => [`exited: ${stderr}`]),
      ])) as string[]
      const port = Number(/^listening on ws:\/\/127\.0\.0\.1:(\d+)$/.exec(line!)?.[1])
      assert.ok(port > 0, line)
      assert.equal(await portFree(port), false, 'headless mode holds the port')

      npm.kill('SIGTERM')
      await once(npm, 'exit')
      await waitFor(() => portFree(port), { timeoutMs: 20_000, what: 'the port to be freed' })
    } finally {
      try {
        process.kill(-npm.pid!, 'SIGKILL')
      } catch {
        // The group is gone already: everything stopped.
      }
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
