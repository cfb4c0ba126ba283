import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { HeadlessProcess, ROOT } from './headless-process'
import { StreamingInstrument } from './streaming-instrument'
import { waitFor } from './wait'

/** A pasted snippet running (it reads forever): the lines it printed, and waits on them. */
export class SnippetProcess {
  readonly lines: string[] = []
  private stderr = ''

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (l) => this.lines.push(l))
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()))
  }

  static start(command: string, args: string[], env: object = {}): SnippetProcess {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    return new SnippetProcess(child)
  }

  /** Waits until `check` holds for the lines so far; a snippet that exits fails the wait. */
  async until(check: (lines: string[]) => boolean, what: string): Promise<void> {
    await waitFor(
      () => {
        if (this.child.exitCode !== null)
          throw new Error(`exited ${this.child.exitCode}: ${this.stderr}`)
        return check(this.lines)
      },
      { timeoutMs: 30_000, what: `${what}; got ${JSON.stringify(this.lines.slice(0, 6))}` },
    )
  }

  kill(): void {
    this.child.kill('SIGKILL')
  }
}

/** Runs a pasted snippet until it printed `count` lines; resolves with them. */
export async function firstLines(
  command: string,
  args: string[],
  env: object,
  count: number,
): Promise<string[]> {
  const snippet = SnippetProcess.start(command, args, env)
  try {
    await snippet.until((lines) => lines.length >= count, `${count} lines`)
    return snippet.lines
  } finally {
    snippet.kill()
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
