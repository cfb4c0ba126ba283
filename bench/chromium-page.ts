import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test'
import type { Clock } from './bench-clock'
import { onCleanup } from './cleanup-stack'
import { memory } from './proc-stats'
import { KiB } from './scenario'

/**
 * What the UI scenarios (S8 stream view, S9 plot view) measure in Debian's Chromium: animation
 * frames and long tasks in the page, the JS heap over CDP, the renderer's RSS from /proc.
 */

const CHROMIUM = '/usr/bin/chromium'

/** Headless Chromium, closed by the bench's cleanup (Playwright's own handlers would exit at once). */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  })
  onCleanup('chromium', () => browser.close())
  return browser
}

export interface Recorded {
  elapsedMs: number
  perSecond: (number | null)[]
  longTasks: number[]
  worstGapMs: number
}

// The page scripts are strings: tsx would add helpers (`__name`) to functions the page lacks.

/** Counts frame batches on the admin socket as they arrive, without parsing them twice. */
export const COUNT_ADMIN_FRAMES = `(() => {
  const counts = { messages: 0, frames: 0, dropped: 0, chars: 0 }
  window.__benchWs = counts
  const Native = window.WebSocket
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols)
      this.addEventListener('message', (event) => {
        const text = event.data
        if (typeof text !== 'string' || !text.startsWith('{"kind":"frames"')) return
        counts.messages += 1
        counts.chars += text.length
        for (let i = text.indexOf('"port":'); i >= 0; i = text.indexOf('"port":', i + 7)) counts.frames += 1
        const dropped = /"dropped":(\\d+)}$/.exec(text)
        if (dropped) counts.dropped += Number(dropped[1])
      })
    }
  }
})()`

export const START_RECORDER = `(() => {
  const rec = { start: performance.now(), perSecond: [], longTasks: [], worstGapMs: 0, running: true }
  rec.observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) rec.longTasks.push(entry.duration)
  })
  rec.observer.observe({ type: 'longtask' })
  let last = rec.start
  const tick = (now) => {
    if (!rec.running) return
    const second = Math.floor((now - rec.start) / 1000)
    rec.perSecond[second] = (rec.perSecond[second] || 0) + 1
    rec.worstGapMs = Math.max(rec.worstGapMs, now - last)
    last = now
    requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
  window.__benchRec = rec
})()`

export const STOP_RECORDER = `(() => {
  const rec = window.__benchRec
  rec.running = false
  for (const entry of rec.observer.takeRecords()) rec.longTasks.push(entry.duration)
  rec.observer.disconnect()
  return {
    elapsedMs: performance.now() - rec.start,
    perSecond: rec.perSecond,
    longTasks: rec.longTasks,
    worstGapMs: rec.worstGapMs,
  }
})()`

/** Counts per whole second of a recording; a second with none counts 0. */
export function perWholeSecond(perSecond: (number | null)[], elapsedMs: number): number[] {
  return Array.from({ length: Math.floor(elapsedMs / 1000) }, (_, i) => perSecond[i] ?? 0)
}

export async function pageCounters(
  page: Page,
): Promise<{ messages: number; frames: number; dropped: number; chars: number }> {
  return (await page.evaluate('({ ...window.__benchWs })')) as {
    messages: number
    frames: number
    dropped: number
    chars: number
  }
}

/** With a path, records the page's main thread (for Chromium DevTools) until the returned stop. */
export async function profilePage(
  cdp: CDPSession,
  path: string | undefined,
): Promise<() => Promise<void>> {
  if (!path) return async () => undefined
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.start')
  return async () => {
    writeFileSync(path, JSON.stringify((await cdp.send('Profiler.stop')).profile))
    console.error(`  renderer CPU profile: ${path}`)
  }
}

export async function heapUsedBytes(cdp: CDPSession): Promise<number> {
  return (await cdp.send('Runtime.getHeapUsage')).usedSize
}

export async function heapAfterGc(cdp: CDPSession): Promise<number> {
  // Twice: the first pass can leave garbage only the second finds (weak refs, finalizers).
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.collectGarbage')
  return heapUsedBytes(cdp)
}

export async function domNodes(cdp: CDPSession): Promise<number> {
  return (await cdp.send('Memory.getDOMCounters')).nodes
}

/**
 * The largest Chromium renderer among this process's descendants (the page's; others are
 * spare or utility renderers). 0 when none is found.
 */
export function rendererRssKiB(): number {
  const children = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)])
    } catch {
      // gone meanwhile
    }
  }
  let best = 0
  const todo = [...(children.get(process.pid) ?? [])]
  for (let pid = todo.pop(); pid !== undefined; pid = todo.pop()) {
    todo.push(...(children.get(pid) ?? []))
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue
      best = Math.max(best, memory(pid).rssKiB)
    } catch {
      // gone meanwhile
    }
  }
  return best
}

/**
 * Once a second during the feed: the JS heap (CDP, no GC) and the renderer's RSS. With
 * `screenshot` (a .png path) also one screenshot halfway through (it costs the page a little).
 */
export function sampleDuring(
  cdp: CDPSession,
  page: Page,
  clock: Clock,
  feedMs: number,
  screenshot?: string,
) {
  const startNs = clock()
  const state = { peakHeap: 0, peakRssKiB: 0, rssMiB: [] as number[] }
  let running = true
  let shot = false
  const loop = async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, 1000))
      if (!running) break
      state.peakHeap = Math.max(state.peakHeap, await heapUsedBytes(cdp))
      const rss = rendererRssKiB()
      state.peakRssKiB = Math.max(state.peakRssKiB, rss)
      state.rssMiB.push(Math.round(rss / KiB))
      if (screenshot && !shot && (clock() - startNs) / 1e6 >= feedMs / 2) {
        shot = true
        await page.screenshot({ path: screenshot })
        console.error(`  screenshot: ${screenshot}`)
      }
    }
  }
  const done = loop()
  // Handled here too: if the scenario fails first (or the browser is closed), nobody awaits it.
  done.catch(() => undefined)
  return {
    done,
    get peakHeap() {
      return state.peakHeap
    },
    get peakRssKiB() {
      return state.peakRssKiB
    },
    /** One reading a second, to tell a plateau from a climb. */
    get rssMiB() {
      return state.rssMiB
    },
    stop() {
      running = false
    },
  }
}
