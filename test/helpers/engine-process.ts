import { fork, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ClientInfo, PortInfo } from '../../common/engine-api'
import type { SettingsInput } from '../../common/settings-schema'

const ROOT = resolve(import.meta.dirname, '../..')
const CHILD = join(ROOT, 'test/helpers/engine-child.ts')

export interface EngineMemory {
  heapUsed: number
  external: number
  rss: number
}

/** What a test may ask of an engine running in its own process (`engine-child.ts`). */
export class EngineProcess {
  private nextId = 1
  private readonly pending = new Map<
    number,
    (reply: { result?: unknown; error?: string }) => void
  >()

  private constructor(
    readonly proc: ChildProcess,
    readonly url: string,
  ) {
    proc.on('message', (m: { id?: number; result?: unknown; error?: string }) => {
      if (m.id === undefined) return
      this.pending.get(m.id)?.(m)
      this.pending.delete(m.id)
    })
  }

  /**
   * Starts an engine on 127.0.0.1, port 0. `fdLimit` runs it under `ulimit -n`, as a lab PC
   * with a low limit would; `adminToken` adds the admin channel of `--ui` mode.
   */
  static async start(
    input: SettingsInput = {},
    opts: { fdLimit?: number; adminToken?: string } = {},
  ): Promise<EngineProcess> {
    const settings = JSON.stringify({ ...input, server: { port: 0, ...input.server } })
    const nodeArgs = ['--expose-gc', '--import', 'tsx', CHILD, settings, opts.adminToken ?? '']
    const env = { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.runtime.json' }
    const stdio: ('ignore' | 'inherit' | 'ipc')[] = ['ignore', 'inherit', 'inherit', 'ipc']
    const proc = opts.fdLimit
      ? spawn(
          'sh',
          ['-c', `ulimit -n ${opts.fdLimit} && exec "$0" "$@"`, process.execPath, ...nodeArgs],
          { cwd: ROOT, env, stdio },
        )
      : fork(CHILD, [settings, opts.adminToken ?? ''], {
          cwd: ROOT,
          env,
          execArgv: nodeArgs.slice(0, 3),
          stdio,
        })
    const [ready] = (await Promise.race([
      once(proc, 'message'),
      once(proc, 'exit').then(([code]) => {
        throw new Error(`engine child exited (${code}) before listening`)
      }),
    ])) as [{ ready: string | null; error?: string }]
    if (!ready.ready) throw new Error(`engine did not start: ${ready.error}`)
    return new EngineProcess(proc, ready.ready)
  }

  private call<T>(op: string, args?: unknown): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, (m) => (m.error ? reject(new Error(m.error)) : resolve(m.result as T)))
      this.proc.send({ id, op, args })
    })
  }

  /** Heap, external (Buffers) and RSS after two full GCs. */
  memory(): Promise<EngineMemory> {
    return this.call('memory')
  }

  ports(): Promise<PortInfo[]> {
    return this.call('ports')
  }

  clients(): Promise<ClientInfo[]> {
    return this.call('clients')
  }

  sockets(): Promise<Array<{ id: string; readyState: number; bufferedAmount: number }>> {
    return this.call('sockets')
  }

  /** Resolves once the server has begun to close client `id` (or has closed it). */
  closing(id: string): Promise<void> {
    return this.call('closing', id)
  }

  openPort(id: string): Promise<{ ok: boolean; errors?: string[] }> {
    return this.call('openPort', id)
  }

  /** Open file descriptors, read from /proc. */
  fdCount(): number {
    return readdirSync(`/proc/${this.proc.pid}/fd`).length
  }

  /** RSS as the OS sees it, in bytes. */
  rssFromOutside(): number {
    const status = readFileSync(`/proc/${this.proc.pid}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null
  }

  async stop(): Promise<void> {
    if (!this.alive) return
    const exited = once(this.proc, 'exit')
    this.proc.kill('SIGTERM')
    await exited
  }
}

/** heapUsed + external: what a client can make the engine hold, Buffers included. */
export const heldBytes = (m: EngineMemory): number => m.heapUsed + m.external
