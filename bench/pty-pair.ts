import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { onCleanup, trackPid, untrackPid } from './cleanup-stack'

/** A serial-like pty pair from socat: the bridge opens `b`, the instrument opens `a`. */
export interface PtyPair {
  a: string
  b: string
  stop(): Promise<void>
}

const LINK_TIMEOUT_MS = 5000
const POLL_MS = 20

export async function startPtyPair(name: string): Promise<PtyPair> {
  const a = `/tmp/${name}-a`
  const b = `/tmp/${name}-b`
  const socat = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  trackPid(socat.pid)
  let stderr = ''
  socat.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)))
  let exited = false
  const exit = new Promise<void>((resolve) => {
    socat.once('exit', () => {
      exited = true
      untrackPid(socat.pid)
      resolve()
    })
    socat.once('error', (e) => {
      stderr += e.message.includes('ENOENT') ? 'socat not found: apt-get install socat' : e.message
      exited = true
      resolve()
    })
  })
  const stop = async () => {
    if (!exited) {
      socat.kill('SIGTERM')
      const timer = setTimeout(() => socat.kill('SIGKILL'), 2000)
      await exit
      clearTimeout(timer)
    }
    for (const link of [a, b]) rmSync(link, { force: true })
  }
  const forget = onCleanup(`socat ${name}`, stop)
  // socat makes the links itself; poll for them with a bound (setup only).
  const deadline = Date.now() + LINK_TIMEOUT_MS
  while (!(existsSync(a) && existsSync(b))) {
    if (exited || Date.now() > deadline) {
      await stop()
      forget()
      throw new Error(`socat did not make ${a} and ${b}: ${stderr.trim() || 'timed out'}`)
    }
    await new Promise((r) => setTimeout(r, POLL_MS))
  }
  return { a, b, stop }
}
