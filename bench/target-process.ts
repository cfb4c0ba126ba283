import { spawn } from 'node:child_process'
import { build } from 'esbuild'
import { createWriteStream, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Clock } from './bench-clock'
import { onCleanup, trackPid, untrackPid } from './cleanup-stack'

/** The server under test: the bridge's headless mode, or the bare baseline pipeline. */
export type TargetName = 'bridge' | 'baseline'

export const repoRoot = fileURLToPath(new URL('..', import.meta.url))

const entries: Record<TargetName, string> = {
  bridge: 'main/headless/cli.ts',
  baseline: 'bench/baseline-server.ts',
}

export function targetAvailable(name: TargetName): boolean {
  return existsSync(new URL(`../${entries[name]}`, import.meta.url))
}

/**
 * Both targets run as plain JavaScript, as shipped: the bridge through `scripts/headless.mjs`
 * (exactly what `npm run headless` runs), the baseline bundled the same way once per bench run.
 * Running either through a TypeScript loader would measure the loader.
 */
const baselineBundles = new Map<string, Promise<string>>()
async function runnable(name: TargetName, baselineEntry: string): Promise<string> {
  if (name === 'bridge') return 'scripts/headless.mjs'
  const outfile = `out/bench/${baselineEntry.replace(/^.*\//, '').replace(/\.ts$/, '.mjs')}`
  const bundled =
    baselineBundles.get(baselineEntry) ??
    build({
      entryPoints: [baselineEntry],
      outfile,
      absWorkingDir: repoRoot,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      packages: 'external',
      logLevel: 'warning',
    }).then(() => outfile)
  baselineBundles.set(baselineEntry, bundled)
  return bundled
}

export interface RunningTarget {
  name: TargetName
  pid: number
  /** `ws://127.0.0.1:PORT` as printed by the target. */
  url: string
  /** Set when started with `inspect`: the V8 inspector, used to force a GC from outside. */
  inspectorUrl: string | null
  /** Set when started with `ui`: the printed `ui:` address, admin token included. */
  uiUrl: string | null
  spawnedNs: number
  readyNs: number
  /** SIGTERM, then SIGKILL after 5 s; resolves with the exit code (null when killed). */
  stop(): Promise<number | null>
}

/** Generous: `--ui` builds the renderer first when its sources changed. */
const READY_TIMEOUT_MS = 180_000

/** The command line of `npm run headless -- --config FILE`, minus npm. */
export async function startTarget(
  name: TargetName,
  configPath: string,
  clock: Clock,
  /** `baselineEntry`: another bare pipeline than the WebSocket one (S13: bench/baseline-mqtt.ts). */
  opts: { inspect?: boolean; ui?: boolean; baselineEntry?: string } = {},
): Promise<RunningTarget> {
  // BENCH_TARGET_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the target only.
  const extra = process.env.BENCH_TARGET_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const nodeArgs = [...extra, ...(opts.inspect ? ['--inspect=127.0.0.1:0'] : [])]
  const script = await runnable(name, opts.baselineEntry ?? entries.baseline)
  const spawnedNs = clock()
  const args = [...nodeArgs, script, '--config', configPath, ...(opts.ui ? ['--ui'] : [])]
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  trackPid(child.pid)
  let exitCode: number | null | undefined
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code
      untrackPid(child.pid)
      resolve(code)
    }),
  )
  const stop = async () => {
    if (exitCode !== undefined) return exitCode
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    const code = await exited
    clearTimeout(timer)
    return code
  }
  const forget = onCleanup(`${name} target`, async () => void (await stop()))

  // BENCH_TARGET_LOG=FILE keeps all the target says (e.g. with BENCH_TARGET_NODE_ARGS=--trace-gc).
  const log = process.env.BENCH_TARGET_LOG
    ? createWriteStream(process.env.BENCH_TARGET_LOG, { flags: 'a' })
    : null
  if (log) {
    child.stdout.pipe(log, { end: false })
    child.stderr.pipe(log, { end: false })
    void exited.then(() => log.end())
  }
  // Keep draining both pipes for the whole run, or a chatty target would block on a full pipe.
  let stdoutTail = ''
  let stderrTail = ''
  let inspectorUrl: string | null = null
  let onReady: ((url: string, uiUrl: string | null) => void) | null = null
  let readyNs = 0
  child.stdout.on('data', (d: Buffer) => {
    stdoutTail = (stdoutTail + d.toString()).slice(-4000)
    // The MQTT baseline has no WebSocket server: it is ready once connected to its broker.
    const url = /^listening on ((?:ws|mqtt):\/\/\S+)/m.exec(stdoutTail)?.[1]
    // With --ui the `ui:` line follows `listening on`; wait for both.
    const uiUrl = opts.ui ? /^ui: (http:\/\/\S+)/m.exec(stdoutTail)?.[1] : null
    if (url && uiUrl !== undefined && onReady) onReady(url, uiUrl)
  })
  child.stderr.on('data', (d: Buffer) => {
    stderrTail = (stderrTail + d.toString()).slice(-4000)
    inspectorUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(stderrTail)?.[1] ?? null
  })

  try {
    const [url, uiUrl] = await new Promise<[string, string | null]>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} not listening within ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      )
      onReady = (u, ui) => {
        readyNs = clock()
        clearTimeout(timer)
        onReady = null
        resolve([u, ui])
      }
      void exited.then((code) => {
        clearTimeout(timer)
        reject(new Error(`${name} exited (${code}) before listening: ${stderrTail.trim()}`))
      })
    })
    return {
      name,
      pid: child.pid ?? -1,
      url,
      inspectorUrl,
      uiUrl,
      spawnedNs,
      readyNs,
      stop,
    }
  } catch (e) {
    await stop()
    forget()
    throw e
  }
}
