import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, describe, test } from 'node:test'
import { SIM_IDN } from '../../main/core/serial/sim-device'
import { connectSnippets } from '../../renderer/src/connect/snippets'
import { HeadlessProcess, ROOT } from '../helpers/headless-process'
import { waitFor } from '../helpers/wait'
import { freePort } from '../helpers/free-port'

/**
 * Examples that read a stream, run while the bridge restarts under them (close 1001): each must
 * read on afterwards, or say why it stopped. Debian's python3-websockets 10.4 ends
 * `async for line in ws` quietly on a normal close, so an example without its own loop just exits 0.
 */
const PYTHON = '/usr/bin/python3'
const READING = /^T=\d+\.\d{2},RH=\d+\.\d$/

class Run {
  readonly stdout: string[] = []
  readonly stderr: string[] = []
  readonly exited: Promise<number | null>

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (l) => this.stdout.push(l))
    createInterface({ input: child.stderr! }).on('line', (l) => this.stderr.push(l))
    this.exited = new Promise((resolve) => child.once('close', resolve))
  }

  /** Waits for `count` stdout lines matching, or fails early when the example exits. */
  async lines(pattern: RegExp, count: number): Promise<void> {
    await waitFor(
      () => {
        if (this.child.exitCode !== null)
          throw new Error(`exited ${this.child.exitCode}: ${this.stderr.join('\n')}`)
        return this.stdout.filter((l) => pattern.test(l)).length >= count
      },
      { timeoutMs: 30_000, what: `${count} lines ${pattern}` },
    )
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGINT')
    return this.exited
  }
}

describe('stream examples across a restart of the bridge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-reconnect-'))
  let headless: HeadlessProcess
  let url = ''

  before(async () => {
    // A fixed port, so the restarted bridge is where the example connects again.
    const port = await freePort()
    headless = HeadlessProcess.start({
      server: { port },
      ports: [{ id: 'demo', path: 'sim:demo' }],
    })
    url = await headless.url()
  })
  after(async () => {
    await headless?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  async function restartUnder(run: Run): Promise<void> {
    await run.lines(READING, 1)
    const before = run.stdout.length
    headless = await headless.restart()
    await headless.url()
    await waitFor(
      () => run.stdout.slice(before).some((l) => READING.test(l)) || run.child.exitCode !== null,
      { timeoutMs: 30_000, what: 'a reading after the restart' },
    )
    assert.equal(run.child.exitCode, null, `it stopped: ${run.stderr.join('\n')}`)
  }

  test('read-lines.py connects again, says so, and reads on', async () => {
    const run = new Run(
      spawn(PYTHON, [join(ROOT, 'docs/examples/read-lines.py'), url, 'demo'], { cwd: ROOT }),
    )
    try {
      await restartUnder(run)
      assert.ok(
        run.stderr.some((l) =>
          /^Serial Bridge closed the connection \(1001 server shutting down\): connecting again in [\d.]+ s$/.test(
            l,
          ),
        ),
        run.stderr.join('\n'),
      )
      assert.equal(run.stderr.filter((l) => l.startsWith('connected to ')).length, 2)
    } finally {
      assert.equal(await run.stop(), 0, 'Ctrl+C ends it quietly')
    }
  })

  test("the Connect tab's Python snippet connects again and reads on", async () => {
    const snippet = connectSnippets(`${url}/ports/demo`, 'demo').find((s) => s.id === 'python')!
    const file = join(dir, 'snippet.py')
    writeFileSync(file, snippet.code)
    const run = new Run(spawn(PYTHON, ['-u', file], { cwd: dir }))
    try {
      await restartUnder(run)
      assert.ok(
        run.stdout.includes('closed by Serial Bridge: 1001 server shutting down'),
        run.stdout.join('\n'),
      )
      // *IDN? asked with `expect` on each connect: its answer, never a streamed reading.
      assert.equal(run.stdout[0], SIM_IDN)
      assert.ok(run.stdout.filter((l) => l === SIM_IDN).length >= 2, run.stdout.join('\n'))
    } finally {
      await run.stop()
    }
  })
})
