import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** CPU time and memory of another process, read from /proc (Linux). */

let ticksPerSecond: number | null = null

function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100
    } catch {
      ticksPerSecond = 100
    }
  }
  return ticksPerSecond
}

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name is in parentheses and may hold spaces; fields after it are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return (utime + stime) / clockTicks()
}

export interface Memory {
  rssKiB: number
  /** Peak RSS over the process's life. */
  hwmKiB: number
}

export function memory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1])
  return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') }
}

/** Polls RSS so a scenario can report its own peak (VmHWM covers the whole life). */
export class RssSampler {
  private timer: NodeJS.Timeout
  peakKiB = 0
  samples = 0

  constructor(
    private readonly pid: number,
    intervalMs = 50,
  ) {
    this.sample()
    this.timer = setInterval(() => this.sample(), intervalMs)
  }

  private sample(): void {
    try {
      this.peakKiB = Math.max(this.peakKiB, memory(this.pid).rssKiB)
      this.samples++
    } catch {
      // The process is gone; the caller finds out on its own.
    }
  }

  stop(): number {
    clearInterval(this.timer)
    this.sample()
    return this.peakKiB
  }
}

function cpuTotals(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number)
  const idleAll = (idle ?? 0) + (iowait ?? 0)
  const busy = [user, nice, system, irq, softirq, steal].reduce<number>((a, b) => a + (b ?? 0), 0)
  return { busy, total: busy + idleAll }
}

/**
 * How busy the whole machine is over `ms`, in percent of all CPUs. Run between scenarios, when
 * nothing of the bench is running, it tells how much other work shares the box.
 */
export async function machineBusyPct(ms = 500): Promise<number> {
  const a = cpuTotals()
  await new Promise((r) => setTimeout(r, ms))
  const b = cpuTotals()
  const total = b.total - a.total
  return total > 0 ? Math.round((100 * (b.busy - a.busy)) / total) : 0
}
