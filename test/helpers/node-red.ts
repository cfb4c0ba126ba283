import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import WebSocket from 'ws'
import { ROOT } from './headless-process'
import { freePort } from './free-port'

/**
 * A real Node-RED 4.1.15, for running the documented flow. Not a dependency of the project
 * (279 packages, 117 MB, ~12 s to install): installed once from the lockfile in
 * test/docs/node-red under .cache/node-red (gitignored), and reused while the lockfile is the same.
 */
const PINNED = join(ROOT, 'test/docs/node-red')
const CACHE = join(ROOT, '.cache/node-red')
const RED = join(CACHE, 'node_modules/node-red/red.js')

export function installNodeRed(): string {
  const lock = readFileSync(join(PINNED, 'package-lock.json'), 'utf8')
  const cachedLock = join(CACHE, 'package-lock.json')
  if (existsSync(RED) && existsSync(cachedLock) && readFileSync(cachedLock, 'utf8') === lock) {
    return RED
  }
  mkdirSync(CACHE, { recursive: true })
  copyFileSync(join(PINNED, 'package.json'), join(CACHE, 'package.json'))
  writeFileSync(cachedLock, lock)
  // Install scripts are not needed: Node-RED falls back to bcryptjs when bcrypt is not built.
  const npm = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: CACHE,
    encoding: 'utf8',
    timeout: 5 * 60_000,
  })
  if (npm.status !== 0) throw new Error(`installing Node-RED failed:\n${npm.stderr}`)
  return RED
}

export interface DebugMessage {
  /** The debug node's name. */
  name: string
  /** What the sidebar shows: a string, or JSON for an object. */
  msg: string
}

/** Node-RED with its editor on 127.0.0.1 and a userDir of the caller's, running `flows`. */
export class NodeRed {
  readonly debug: DebugMessage[] = []
  private comms: WebSocket | null = null
  private waiters = new Set<() => void>()

  private constructor(
    readonly proc: ChildProcess,
    readonly url: string,
    readonly log: string[],
  ) {}

  static async start(userDir: string, flows: unknown[]): Promise<NodeRed> {
    const red = installNodeRed()
    const port = await freePort()
    writeFileSync(join(userDir, 'flows.json'), JSON.stringify(flows, null, 2))
    const settings = join(userDir, 'settings.cjs')
    writeFileSync(
      settings,
      `module.exports = ${JSON.stringify({
        uiHost: '127.0.0.1',
        uiPort: port,
        userDir,
        flowFile: 'flows.json',
        credentialSecret: false,
        telemetry: { enabled: false, updateNotification: false },
        diagnostics: { enabled: false },
        externalModules: { autoInstall: false, palette: { allowInstall: false } },
        editorTheme: { tours: false },
        logging: { console: { level: 'info', metrics: false, audit: false } },
      })}\n`,
    )
    const proc = spawn(process.execPath, [red, '--settings', settings], {
      cwd: userDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const log: string[] = []
    const nodeRed = new NodeRed(proc, `http://127.0.0.1:${port}`, log)
    const started = new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: proc.stdout! })
      // Both: the flows can start before the editor's HTTP server listens, on a busy machine.
      let flows = false
      let listening = false
      lines.on('line', (line) => {
        log.push(line)
        if (line.includes('[info] Started flows')) flows = true
        if (line.includes('[info] Server now running at')) listening = true
        if (flows && listening) resolve()
      })
      proc.stderr!.on('data', (d: Buffer) => log.push(d.toString()))
      proc.once('exit', (code) =>
        reject(new Error(`Node-RED exited (${code}):\n${log.join('\n')}`)),
      )
    })
    try {
      await withTimeout(started, 120_000, () => `Node-RED did not start:\n${log.join('\n')}`)
      await nodeRed.watchDebug()
    } catch (error) {
      await nodeRed.stop()
      throw error
    }
    return nodeRed
  }

  /** The editor's own channel: every debug node's output, as its sidebar shows it. */
  private async watchDebug(): Promise<void> {
    const comms = new WebSocket(`${this.url.replace('http', 'ws')}/comms`)
    this.comms = comms
    await once(comms, 'open')
    comms.send(JSON.stringify({ subscribe: 'debug' }))
    comms.on('message', (data) => {
      for (const m of JSON.parse(String(data)) as Array<{ topic: string; data: DebugMessage }>) {
        if (m.topic === 'debug') this.debug.push({ name: m.data.name, msg: String(m.data.msg) })
      }
      for (const wake of this.waiters) wake()
    })
  }

  /** Resolves with the first debug message of `name` that `match`es, from index `from` on. */
  waitForDebug(
    name: string,
    match: (msg: string) => boolean,
    { from = 0, timeoutMs = 20_000 } = {},
  ): Promise<string> {
    let wake = (): void => {}
    const found = new Promise<string>((resolve) => {
      wake = () => {
        const hit = this.debug.slice(from).find((d) => d.name === name && match(d.msg))
        if (hit) resolve(hit.msg)
      }
      this.waiters.add(wake)
      wake()
    })
    return withTimeout(found, timeoutMs, () => {
      const last = this.debug.slice(-5).map((d) => `${d.name}: ${d.msg}`)
      return `no "${name}" debug message matching in ${timeoutMs} ms; last: ${last.join(' | ')}`
    }).finally(() => this.waiters.delete(wake))
  }

  /** Presses an inject node's button, as in the editor. */
  async inject(id: string): Promise<void> {
    const res = await fetch(`${this.url}/inject/${id}`, { method: 'POST' })
    if (res.status !== 200) throw new Error(`inject ${id}: HTTP ${res.status}`)
  }

  /** Restarts the flows as a deploy does: every websocket node connects again. */
  async restartFlows(): Promise<void> {
    const res = await fetch(`${this.url}/flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'reload' },
      body: '{}',
    })
    if (res.status !== 204 && res.status !== 200) throw new Error(`reload: HTTP ${res.status}`)
  }

  async stop(): Promise<void> {
    this.comms?.terminate()
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return
    const exited = once(this.proc, 'exit')
    this.proc.kill('SIGTERM')
    await exited
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, why: () => string): Promise<T> {
  let timer: NodeJS.Timeout
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(why())), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
