import { ReadlineParser, SerialPort } from 'serialport'
import type { BarePollerApi } from './child-api'
import { serveCalls } from './child-rpc'
import { queryLine } from './bench-lines'

/**
 * S10's baseline: what a script with the COM port to itself does for the same polls. Each poll
 * keeps to its own schedule (tick k at start + k × interval) and asks one question at a time, as
 * the bridge's polls do, with nothing else in the way. Child process of bench/run.ts.
 */
const api: BarePollerApi = {
  async run({ path, polls, intervalMs, seconds }) {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false })
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())))
    const outstanding = new Set<string>()
    port.pipe(new ReadlineParser({ delimiter: '\n' })).on('data', (line: string) => {
      outstanding.delete(line.split(' ', 2)[1] ?? '')
    })
    let sent = 0
    let skipped = 0
    const start = performance.now()
    const end = start + seconds * 1000
    const timers = Array.from({ length: polls }, (_, i) => {
      const tag = `poll${i}`
      let last = 0
      let timer: NodeJS.Timeout
      const tick = (): void => {
        const now = performance.now()
        if (now >= end) return
        const k = Math.floor((now - start) / intervalMs)
        if (k > last) {
          skipped += k - last - 1
          last = k
          if (outstanding.has(tag)) skipped += 1
          else {
            outstanding.add(tag)
            sent += 1
            port.write(queryLine(tag, 0, 0) + '\n')
          }
        }
        timer = setTimeout(tick, Math.max(0, start + (last + 1) * intervalMs - performance.now()))
      }
      timer = setTimeout(tick, intervalMs)
      return () => clearTimeout(timer)
    })
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000 + intervalMs))
    for (const stop of timers) stop()
    await new Promise<void>((resolve) => port.close(() => resolve()))
    return { sent, skipped }
  },
}

serveCalls(api)
