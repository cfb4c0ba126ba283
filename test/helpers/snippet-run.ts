import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { HeadlessProcess, ROOT } from './headless-process'
import { StreamingInstrument } from './streaming-instrument'
import { waitFor } from './wait'

/** Runs a pasted snippet (it reads forever) until it printed `count` lines; resolves with them. */
export async function firstLines(
  command: string,
  args: string[],
  env: object,
  count: number,
): Promise<string[]> {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let stderr = ''
  createInterface({ input: child.stdout }).on('line', (l) => lines.push(l))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${stderr}`)
        return lines.length >= count
      },
      { timeoutMs: 30_000, what: `${count} lines` },
    )
    return lines
  } finally {
    child.kill('SIGKILL')
  }
}

export interface SnippetBridge {
  url: string
  /** A folder for the pasted files, under the repository's node_modules/.cache, so that an
   * `import` of `ws` or of an installed package resolves as in a project. */
  dir: string
  stop(): Promise<void>
}

/**
 * Headless mode with a token and two ports that stream while snippets ask `*IDN?`: `demo`
 * (sim:demo) and `streaming` (a pty instrument that answers after ten readings).
 */
export async function startSnippetBridge(token: string, name: string): Promise<SnippetBridge> {
  const cache = join(ROOT, 'node_modules', '.cache')
  mkdirSync(cache, { recursive: true })
  const dir = mkdtempSync(join(cache, `sb-${name}-`))
  const streaming = await StreamingInstrument.start()
  const headless = HeadlessProcess.start({
    server: { port: 0, token },
    ports: [
      { id: 'demo', path: 'sim:demo' },
      { id: 'streaming', path: streaming.path },
    ],
  })
  const stop = async () => {
    await headless.stop()
    await streaming.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    return { url: await headless.url(), dir, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
