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

/** How long pty-master.py may take to answer a command: far more than it ever needs. */
const COMMAND_TIMEOUT_MS = 20_000

interface Answer {
  ready?: true
  heard?: string
  done?: number
  queued?: number
}

export class PtyMasterInstrument extends InstrumentLog implements TestInstrument {
  private sent = 0
  private readonly waiting = new Map<number, { resolve(a: Answer): void; reject(e: Error): void }>()
  private exited: Error | null = null

  private constructor(private readonly proc: ChildProcess) {
    super()
  }

  static async start(link: string): Promise<PtyMasterInstrument> {
    const proc = spawn('/usr/bin/python3', [SCRIPT, link], { stdio: ['pipe', 'pipe', 'inherit'] })
    const instrument = new PtyMasterInstrument(proc)
    const ready = new Promise<void>((resolve, reject) => {
      const gone = (error: Error) => {
        instrument.exited = error
        for (const { reject: fail } of instrument.waiting.values()) fail(error)
        instrument.waiting.clear()
        reject(error)
      }
      proc.once('error', gone)
      proc.once('exit', (code, signal) =>
        gone(new Error(`pty-master.py exited (${code ?? signal})`)),
      )
      createInterface({ input: proc.stdout! }).on('line', (line) => {
        const answer = JSON.parse(line) as Answer
        if (answer.ready) resolve()
        if (answer.heard) instrument.heard(Buffer.from(answer.heard, 'base64'))
        if (answer.done) instrument.waiting.get(answer.done)?.resolve(answer)
      })
    })
    await ready
    return instrument
  }

  /** Resolves once the bytes are all in the pty, on their way to the bridge. */
  async write(data: string | Buffer): Promise<void> {
    await this.command({ say: Buffer.from(data).toString('base64') })
  }

  /** Stops reading what the bridge writes: the pty fills and the bridge's writes wait. */
  async stopReading(): Promise<void> {
    await this.command({ reading: false })
  }

  async resumeReading(): Promise<void> {
    await this.command({ reading: true })
  }

  /** Bytes the bridge wrote that wait unread; Linux counts at most 4,095 of them. */
  async queued(): Promise<number> {
    return (await this.command({ queued: true })).queued ?? 0
  }

  /** The line stays until `PtyMaster.dispose`. */
  close(): Promise<void> {
    return Promise.resolve()
  }

  async stop(): Promise<void> {
    if (this.exited) return
    const exited = new Promise((resolve) => this.proc.once('exit', resolve))
    this.proc.stdin!.end()
    // Python ends at the end of its input; a helper that does not is stopped.
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), COMMAND_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  }

  private command(command: object): Promise<Answer> {
    if (this.exited) return Promise.reject(this.exited)
    const n = ++this.sent
    return new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(n)
        reject(new Error(`pty-master.py did not answer ${JSON.stringify(command)}`))
      }, COMMAND_TIMEOUT_MS)
      const settle = () => {
        clearTimeout(timer)
        this.waiting.delete(n)
      }
      this.waiting.set(n, {
        resolve: (answer) => (settle(), resolve(answer)),
        reject: (error) => (settle(), reject(error)),
      })
      this.proc.stdin!.write(JSON.stringify(command) + '\n')
    })
  }
}
