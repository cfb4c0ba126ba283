import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { trackPid, untrackPid } from './cleanup-stack'

/** Request/response over the fork IPC channel, bounded by a timeout on every call. */

type Method = (args: never) => Promise<unknown>
type Arg<F> = F extends (args: infer A) => Promise<unknown> ? A : never
type Result<F> = F extends (args: never) => Promise<infer R> ? R : never

interface Request {
  id: number
  cmd: string
  args: unknown
}
type Response = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string }

export interface ChildHandle<T> {
  readonly pid: number
  call<K extends keyof T & string>(
    cmd: K,
    args: Arg<T[K]>,
    timeoutMs?: number,
  ): Promise<Result<T[K]>>
  stop(): Promise<void>
}

const DEFAULT_TIMEOUT_MS = 30_000

/** Forks `bench/<script>` under tsx and waits for it to say it is ready. */
export async function forkChild<T extends Record<keyof T, Method>>(
  script: string,
  args: string[],
): Promise<ChildHandle<T>> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), args, {
    // BENCH_CHILD_NODE_ARGS (e.g. "--cpu-prof") profiles the load generator itself.
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  trackPid(child.pid)
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  let nextId = 1
  let exited = false
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true
      for (const p of pending.values()) p.reject(new Error(`${script} exited (${code ?? signal})`))
      pending.clear()
      untrackPid(child.pid)
      resolve()
    }),
  )
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready in 20 s`)), 20_000)
    child.once('message', () => {
      clearTimeout(timer)
      resolve()
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${script} exited before ready (${code})`))
    })
  })
  child.on('message', (m: Response) => {
    const p = pending.get(m.id)
    if (!p) return
    pending.delete(m.id)
    if (m.ok) p.resolve(m.result)
    else p.reject(new Error(`${script}: ${m.error}`))
  })
  return {
    pid: child.pid ?? -1,
    call(cmd, callArgs, timeoutMs = DEFAULT_TIMEOUT_MS) {
      if (exited) return Promise.reject(new Error(`${script} has exited`))
      const id = nextId++
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id)
          reject(new Error(`${script}: ${cmd} timed out after ${timeoutMs} ms`))
        }, timeoutMs)
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer)
            resolve(v as never)
          },
          reject: (e) => {
            clearTimeout(timer)
            reject(e)
          },
        })
        child.send({ id, cmd, args: callArgs } satisfies Request)
      })
    },
    async stop() {
      if (exited) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exit
      clearTimeout(timer)
    },
  }
}

/** Child side: answers the orchestrator's calls, and exits when the orchestrator goes away. */
export function serveCalls<T extends Record<keyof T, Method>>(api: T): void {
  const send = process.send?.bind(process)
  if (!send) throw new Error('run this file through the bench orchestrator (needs an IPC channel)')
  process.on('message', (m: Request) => {
    const method = (api as Record<string, Method | undefined>)[m.cmd]
    const reply = (r: Response) => send(r)
    if (!method) {
      reply({ id: m.id, ok: false, error: `unknown command ${m.cmd}` })
      return
    }
    method.call(api, m.args as never).then(
      (result) => reply({ id: m.id, ok: true, result: result ?? null }),
      (e: unknown) =>
        reply({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
    )
  })
  process.on('disconnect', () => process.exit(0))
  // A clean exit on SIGTERM, so a `--cpu-prof` child still writes its profile.
  process.on('SIGTERM', () => process.exit(0))
  send('ready')
}
