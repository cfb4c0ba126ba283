import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { waitFor } from '../../../helpers/wait'

const ROOT = resolve(import.meta.dirname, '../../../..')
const HEADLESS = join(ROOT, 'scripts/headless.mjs')
const BUILD_LOCK = join(tmpdir(), 'serial-bridge-headless-build.lock')

let built: Promise<void> | undefined

/**
 * `scripts/headless.mjs` bundles the engine when its sources changed. Test files run in
 * parallel, so the first start in each process builds under a lock: a second writer could
 * truncate the bundle while another process imports it.
 */
function ensureBuilt(): Promise<void> {
  built ??= (async () => {
    await waitFor(
      () => {
        try {
          mkdirSync(BUILD_LOCK)
          return true
        } catch {
          // A lock older than two minutes was left by a killed run.
          const age = Date.now() - (statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? 0)
          if (age > 120_000) rmSync(BUILD_LOCK, { recursive: true, force: true })
          return false
        }
      },
      { what: 'the headless build lock', timeoutMs: 180_000, everyMs: 50 },
    )
    try {
      const help = spawnSync(process.execPath, [HEADLESS, '--help'], {
        cwd: ROOT,
        encoding: 'utf8',
      })
      if (help.status !== 0) throw new Error(`headless build failed: ${help.stderr}`)
    } finally {
      rmSync(BUILD_LOCK, { recursive: true, force: true })
    }
  })()
  return built
}

/** Collected lines of one output stream; `waitFor` resolves on the first line matching. */
class Lines {
  readonly all: string[] = []
  private readonly waiters = new Set<() => void>()

  add(line: string): void {
    this.all.push(line)
    for (const wake of [...this.waiters]) wake()
  }

  /** Wakes waiters when the process exits, so they fail at once. */
  end(): void {
    for (const wake of [...this.waiters]) wake()
  }

  waitFor(
    pattern: RegExp,
    {
      from = 0,
      timeoutMs = 30_000,
      alive,
    }: { from?: number; timeoutMs?: number; alive: () => boolean },
  ): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        for (let i = from; i < this.all.length; i++) {
          const match = this.all[i]!.match(pattern)
          if (match) return done(() => resolve(match))
        }
        if (!alive()) done(() => reject(new Error(`exited before a line matching ${pattern}`)))
      }
      const timer = setTimeout(
        () => done(() => reject(new Error(`no line matching ${pattern} in ${timeoutMs} ms`))),
        timeoutMs,
      )
      const done = (settle: () => void): void => {
        clearTimeout(timer)
        this.waiters.delete(check)
        settle()
      }
      this.waiters.add(check)
      check()
    })
  }
}

/** Headless mode as a user starts it (`node scripts/headless.mjs --config FILE`). */
export class BridgeProcess {
  readonly stdout = new Lines()
  readonly stderr = new Lines()
  url = ''
  private child: ChildProcess | null = null
  private exited: Promise<void> = Promise.resolve()
  private readonly dir = mkdtempSync(join(tmpdir(), 'sb-js-client-'))
  private readonly configFile = join(this.dir, 'config.json')

  private constructor(private config: { server?: object; ports?: object[] }) {}

  /** Starts on `config` (its `server.port` may be 0) and resolves once it listens. */
  static async start(config: { server?: object; ports?: object[] }): Promise<BridgeProcess> {
    const bridge = new BridgeProcess(config)
    try {
      await bridge.launch()
    } catch (error) {
      await bridge.stop()
      throw error
    }
    return bridge
  }

  get port(): number {
    return Number(new URL(this.url).port)
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null
  }

  /** Waits for a line on stderr (port states: `port meter (/tmp/...) open`), from `from` on. */
  waitForStderr(pattern: RegExp, from = 0): Promise<RegExpMatchArray> {
    return this.stderr.waitFor(pattern, { from, alive: () => this.running })
  }

  /** Stops the process with `signal` (SIGKILL: a crash) and waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.running) this.child!.kill(signal)
    await this.exited
  }

  /** Starts again on the same address; resolves once it listens. */
  async restart(): Promise<void> {
    await this.kill()
    this.config = { ...this.config, server: { ...this.config.server, port: this.port } }
    await this.launch()
  }

  async stop(): Promise<void> {
    await this.kill()
    rmSync(this.dir, { recursive: true, force: true })
  }

  private async launch(): Promise<void> {
    await ensureBuilt()
    writeFileSync(this.configFile, JSON.stringify(this.config))
    const from = this.stdout.all.length
    const child = spawn(process.execPath, [HEADLESS, '--config', this.configFile], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child = child
    createInterface({ input: child.stdout! }).on('line', (l) => this.stdout.add(l))
    createInterface({ input: child.stderr! }).on('line', (l) => this.stderr.add(l))
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()))
    void this.exited.then(() => {
      this.stdout.end()
      this.stderr.end()
    })
    try {
      const [, url] = await this.stdout.waitFor(/^listening on (wss?:\/\/\S+)$/, {
        from,
        alive: () => this.running,
      })
      this.url = url!
    } catch (error) {
      throw new Error(`headless mode did not start: ${this.stderr.all.join('\n')}`, {
        cause: error,
      })
    }
  }
}
