import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'

export const ROOT = resolve(import.meta.dirname, '../..')
export const HEADLESS_ENTRY = join(ROOT, 'main/headless/cli.ts')

/** Headless mode as a real child process, started the way `npm run headless` starts it. */
export class HeadlessProcess {
  readonly stdout: string[] = []
  stderr = ''
  readonly exited: Promise<number | null>
  private lineWaiters: Array<() => void> = []

  private constructor(
    readonly proc: ChildProcess,
    readonly dir: string,
    readonly args: string[],
  ) {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      this.stdout.push(line)
      for (const w of this.lineWaiters.splice(0)) w()
    })
    proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()))
    this.exited = once(proc, 'exit').then(([code]) => code as number | null)
    void this.exited.then(() => this.lineWaiters.splice(0).forEach((w) => w()))
  }

  /**
   * Writes `config` (an object, or raw text) to a temp file and starts headless mode on it;
   * `prepare` may add files to that folder first.
   */
  static start(
    config: object | string,
    extraArgs: string[] = [],
    prepare?: (dir: string) => void,
  ): HeadlessProcess {
    const dir = mkdtempSync(join(tmpdir(), 'sb-headless-'))
    writeFileSync(
      join(dir, 'config.json'),
      typeof config === 'string' ? config : JSON.stringify(config),
    )
    prepare?.(dir)
    return HeadlessProcess.spawn(dir, extraArgs)
  }

  /** Starts headless mode with exactly these arguments; `dir` is removed by `stop()`. */
  static withArgs(args: string[], dir = mkdtempSync(join(tmpdir(), 'sb-headless-'))) {
    return HeadlessProcess.launch(args, dir)
  }

  private static spawn(dir: string, extraArgs: string[]): HeadlessProcess {
    return HeadlessProcess.launch(['--config', join(dir, 'config.json'), ...extraArgs], dir)
  }

  private static launch(args: string[], dir: string): HeadlessProcess {
    const proc = spawn(process.execPath, ['--import', 'tsx', HEADLESS_ENTRY, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    return new HeadlessProcess(proc, dir, args)
  }

  /** Stops this process and starts headless mode again on the same files (and arguments). */
  async restart(): Promise<HeadlessProcess> {
    await this.kill('SIGTERM')
    return HeadlessProcess.launch(this.args, this.dir)
  }

  get configPath(): string {
    return join(this.dir, 'config.json')
  }

  /** Resolves with the first stdout line matching, or rejects on exit or timeout. */
  async line(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      for (const l of this.stdout) {
        const m = l.match(pattern)
        if (m) return m
      }
      if (this.proc.exitCode !== null)
        throw new Error(`headless exited (${this.proc.exitCode}): ${this.stderr}`)
      const left = deadline - Date.now()
      if (left <= 0)
        throw new Error(`no line ${pattern} within ${timeoutMs} ms; stderr: ${this.stderr}`)
      await new Promise<void>((r) => {
        const t = setTimeout(r, left)
        this.lineWaiters.push(() => {
          clearTimeout(t)
          r()
        })
      })
    }
  }

  async url(timeoutMs?: number): Promise<string> {
    return (await this.line(/^listening on (wss?:\/\/\S+)$/, timeoutMs))[1]!
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const code = await this.kill(signal)
    rmSync(this.dir, { recursive: true, force: true })
    return code
  }

  private async kill(signal: NodeJS.Signals): Promise<number | null> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal)
    return this.exited
  }
}
