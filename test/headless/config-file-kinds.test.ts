import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { HeadlessProcess } from '../helpers/headless-process'

/** Waits for the exit, but never for ever: without the fix a FIFO blocks the start for good. */
async function exitCode(headless: HeadlessProcess, timeoutMs = 60_000): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'hung'>((resolve) => (timer = setTimeout(resolve, timeoutMs, 'hung')))
  const result = await Promise.race([headless.exited, timeout])
  clearTimeout(timer)
  assert.notEqual(result, 'hung', `still running after ${timeoutMs} ms; stderr: ${headless.stderr}`)
  return result as number | null
}

describe('--config that is not a small regular file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-config-kinds-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  const cases: Array<[string, () => string, RegExp]> = [
    [
      'a FIFO (which would block the read for ever)',
      () => {
        const fifo = join(dir, 'config.fifo')
        execFileSync('mkfifo', [fifo])
        return fifo
      },
      /config\.fifo: is a FIFO \(named pipe\), not a regular file/,
    ],
    [
      '/dev/zero (which never ends)',
      () => '/dev/zero',
      /\/dev\/zero: is a device, not a regular file/,
    ],
    ['a directory', () => dir, /is a directory, not a regular file/],
    [
      'a file over 16 MiB',
      () => {
        const big = join(dir, 'big.json')
        writeFileSync(big, '{}')
        truncateSync(big, 16 * 1024 * 1024 + 1)
        return big
      },
      /big\.json: is larger than 16 MiB, the most a settings file may be/,
    ],
  ]

  for (const [what, make, message] of cases) {
    test(`${what} is refused at once with exit code 2, naming the file`, async () => {
      const headless = HeadlessProcess.withArgs(['--config', make()])
      try {
        assert.equal(await exitCode(headless), 2)
        assert.match(headless.stderr, message)
      } finally {
        headless.proc.kill('SIGKILL')
        await headless.stop()
      }
    })
  }
})
