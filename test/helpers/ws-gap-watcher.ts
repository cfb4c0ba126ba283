// A separate process that plays the instrument and a WebSocket client at once: writes a line
// with its time every few ms to the pty and reads the port's stream from the bridge. Measured
// here, not in the test process, so a busy test process cannot make a gap the bridge did not.
//   node --import tsx ws-gap-watcher.ts PTY_PATH WS_URL INTERVAL_MS
// stdin: "phase NAME" starts counting under NAME; "stop" prints every phase as JSON and exits.
import { createInterface } from 'node:readline'
import { SerialPort } from 'serialport'
import WebSocket from 'ws'

const [path, url, intervalText] = process.argv.slice(2) as [string, string, string]
const port = new SerialPort({ path, baudRate: 115200 })
const ws = new WebSocket(url)
let sent = 0
const seen = new Set<number>()
/** Per phase: the latency of each line, from its write to the pty to its arrival here. */
const phases = new Map<string, number[]>([['start', []]])
let phase = phases.get('start')!
/** Per phase: how late this process's own write timer fired at worst (the machine's load). */
const lateness = new Map<string, number>([['start', 0]])
let phaseName = 'start'

ws.on('message', (data) => {
  const m = /^L(\d+) (\d+)$/.exec(String(data))
  if (!m) return
  seen.add(Number(m[1]))
  phase.push(Date.now() - Number(m[2]))
})

function summary(): object {
  const out: Record<string, object> = {}
  for (const [name, list] of phases) {
    const sorted = [...list].sort((a, b) => a - b)
    out[name] = {
      lines: sorted.length,
      maxMs: sorted.at(-1) ?? 0,
      timerLateMs: lateness.get(name) ?? 0,
      p99Ms: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
    }
  }
  return { sent, received: seen.size, phases: out }
}

ws.on('open', () => {
  process.stdout.write('ready\n')
  let due = Date.now() + Number(intervalText)
  const timer = setInterval(() => {
    const now = Date.now()
    lateness.set(phaseName, Math.max(lateness.get(phaseName) ?? 0, now - due))
    due = now + Number(intervalText)
    sent += 1
    port.write(`L${sent} ${Date.now()}\n`)
  }, Number(intervalText))
  createInterface({ input: process.stdin }).on('line', (line) => {
    const named = /^phase (\S+)$/.exec(line)
    if (named) {
      phase = []
      phaseName = named[1]!
      phases.set(phaseName, phase)
      lateness.set(phaseName, 0)
      return
    }
    if (line !== 'stop') return
    clearInterval(timer)
    // The last lines arrive before counting: wait until every line sent is seen (or 2 s).
    const deadline = Date.now() + 2000
    const finish = setInterval(() => {
      if (seen.size < sent && Date.now() < deadline) return
      clearInterval(finish)
      process.stdout.write(JSON.stringify(summary()) + '\n')
      ws.close()
      port.close(() => process.exit(0))
    }, 20)
  })
})
ws.on('error', (error) => {
  process.stderr.write(`${error.message}\n`)
  process.exit(1)
})
