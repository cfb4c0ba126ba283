import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { InstrumentLog } from './instrument-log'
import type { TestInstrument, TestLine } from './test-lines'

const SCRIPT = join(import.meta.dirname, 'pty-master.py')

/**
 * A real pty whose master end is the test's instrument (pty-master.py), with no socat between:
 * it can stop reading what the bridge writes and still talk to it. `unplug` is not offered.
 */
export class PtyMaster implements TestLine<PtyMasterInstrument> {
  readonly a: string
  private readonly dir: string
  private instrument: PtyMasterInstrument | null = null

  constructor(name = 'tty') {
    this.dir = mkdtempSync(join(tmpdir(), 'sb-ptm-'))
    this.a = join(this.dir, `${name}-a`)
  }

  async plug(): Promise<void> {
    this.instrument ??= await PtyMasterInstrument.start(this.a)
  }

  unplug(): Promise<void> {
    return Promise.reject(new Error('a PtyMaster line cannot be unplugged; use SocatPair'))
  }

  async openInstrument(): Promise<PtyMasterInstrument> {
    await this.plug()
    return this.instrument!
  }

  async dispose(): Promise<void> {
    await this.instrument?.stop()
    this.instrument = null
    rmSync(this.dir, { recursive: true, force: true })
  }
}

export class PtyMasterInstrument extends InstrumentLog implements TestInstrument {
  private sent = 0
  private readonly waiting = new Map<number, () => void>()

  private constructor(private readonly proc: ChildProcess) {
    super()
  }

  static async start(link: string): Promise<PtyMasterInstrument> {
    const proc = spawn('python3', [SCRIPT, link], { stdio: ['pipe', 'pipe', 'inherit'] })
    const instrument = new PtyMasterInstrument(proc)
    const ready = new Promise<void>((resolve, reject) => {
      proc.once('exit', (code) => reject(new Error(`pty-master.py exited (${code})`)))
      createInterface({ input: proc.stdout! }).on('line', (line) => {
        const message = JSON.parse(line) as { ready?: true; heard?: string; done?: number }
        if (message.ready) resolve()
        if (message.heard) instrument.heard(Buffer.from(message.heard, 'base64'))
        if (message.done) instrument.waiting.get(message.done)?.()
      })
    })
    await ready
    return instrument
  }

  /** Resolves once the bytes are in the pty, on their way to the bridge. */
  write(data: string | Buffer): Promise<void> {
    return this.command({ say: Buffer.from(data).toString('base64') })
  }

  /** Stops reading what the bridge writes: the pty fills and the bridge's writes wait. */
  stopReading(): Promise<void> {
    return this.command({ reading: false })
  }

  resumeReading(): Promise<void> {
    return this.command({ reading: true })
  }

  /** The line stays until `PtyMaster.dispose`. */
  close(): Promise<void> {
    return Promise.resolve()
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return
    const exited = new Promise((resolve) => this.proc.once('exit', resolve))
    this.proc.stdin!.end()
    await exited
  }

  private command(command: object): Promise<void> {
    const n = ++this.sent
    return new Promise<void>((resolve) => {
      this.waiting.set(n, () => {
        this.waiting.delete(n)
        resolve()
      })
      this.proc.stdin!.write(JSON.stringify(command) + '\n')
    })
  }
}
