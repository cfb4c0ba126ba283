import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Instrument } from './instrument'
import type { TestLine } from './test-lines'
import { waitFor } from './wait'

/**
 * A real pseudo-serial line from socat: the bridge opens `a`, the test plays the instrument
 * on `b`. `unplug()` kills socat (a real disconnect); `plug()` starts it again on the same links.
 */
export class SocatPair implements TestLine<Instrument> {
  readonly a: string
  readonly b: string
  private readonly dir: string
  private proc: ChildProcess | null = null

  constructor(name = 'tty') {
    this.dir = mkdtempSync(join(tmpdir(), 'sb-pty-'))
    this.a = join(this.dir, `${name}-a`)
    this.b = join(this.dir, `${name}-b`)
  }

  async plug(): Promise<void> {
    if (this.proc) return
    const proc = spawn(
      'socat',
      [`pty,raw,echo=0,link=${this.a}`, `pty,raw,echo=0,link=${this.b}`],
      {
        stdio: 'ignore',
      },
    )
    this.proc = proc
    await waitFor(() => existsSync(this.a) && existsSync(this.b), {
      what: 'socat links',
      timeoutMs: 5000,
    })
  }

  async unplug(): Promise<void> {
    const proc = this.proc
    if (!proc) return
    this.proc = null
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((resolve) => proc.once('exit', resolve))
      proc.kill('SIGTERM')
      await exited
    }
    await waitFor(() => !existsSync(this.a) && !existsSync(this.b), { what: 'socat links removed' })
  }

  openInstrument(): Promise<Instrument> {
    return Instrument.open(this.b)
  }

  async dispose(): Promise<void> {
    await this.unplug()
    rmSync(this.dir, { recursive: true, force: true })
  }
}
