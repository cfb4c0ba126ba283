import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
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
