import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type CDPSession, type Page } from '@playwright/test'
import type { Clock } from '../bench-clock'
import { withRig } from '../bench-rig'
import type { StreamResult } from '../child-api'
import { onCleanup } from '../cleanup-stack'
import { cpuSeconds, memory } from '../proc-stats'
import { KiB, MiB, round, type Scenario } from '../scenario'
import { startTarget } from '../target-process'

/**
 * S8 (issue 4): the stream view in Chromium fed 10,000 frames/s for 10 s, all through the real
 * path: instrument → socat pty → headless bridge with `--ui` → admin WebSocket → the React UI
 * in /usr/bin/chromium. Measured in the page: animation frames per second, long tasks, the JS
 * heap (CDP) and the renderer's RSS. The baseline has no UI, so S8 runs against the bridge only.
 */
const RATE = 10_000
const LINE_BYTES = 64
const CHROMIUM = '/usr/bin/chromium'
const CATCH_UP_TIMEOUT_MS = 30_000
const CATCH_UP_POLL_MS = 50
/** Heap left after the view is cleared, over the heap before the feed: above this it grew. */
export const S8_FLAT_HEAP_MIB = 1

export const s8Ui: Scenario = {
  id: 'S8',
  title: `UI: stream view in Chromium at ${RATE.toLocaleString('en-US')} frames/s`,
  targets: ['bridge'],
  run: (ctx) =>
    withRig({ ...ctx, manualStart: true }, async (rig) => {
      const dir = mkdtempSync(join(tmpdir(), 'sb-bench-s8-'))
      onCleanup('s8 config dir', () => rmSync(dir, { recursive: true, force: true }))
      const configPath = join(dir, 'config.json')
      writeFileSync(configPath, JSON.stringify(rig.settings))
      const bridge = await startTarget('bridge', configPath, ctx.clock, { ui: true })

      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
        // Playwright's own handlers would exit at once; the bench's cleanup closes it instead.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      })
      onCleanup('chromium', () => browser.close())
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
      await page.addInitScript(COUNT_ADMIN_FRAMES)
      await page.goto(bridge.uiUrl!)
      await page.getByRole('tab', { name: 'Stream' }).click()
      await page.getByRole('combobox', { name: 'Port' }).selectOption(rig.portId)
      const list = page.getByRole('list', { name: `Data of ${rig.portId}` })

      // The port may open after `listening`: probe until a line shows in the view.
      await rig.instrument.call('probe', { intervalMs: 10, max: 2000 })
      try {
        await list
          .locator('.data', { hasText: /^P \d+/ })
          .first()
          .waitFor({ timeout: 25_000 })
      } finally {
        await rig.instrument.call('stopProbe', {})
      }

      const cdp = await page.context().newCDPSession(page)
      const clearView = async () => {
        await page.getByRole('button', { name: 'Clear' }).click()
        await page.getByText(/^0 lines shown$/).waitFor({ timeout: 5000 })
      }
      // One second of the same load first, so the start figures include what V8 keeps once
      // (bytecode, optimised code, feedback) and "flat" compares like with like.
      const warmUp = await rig.instrument.call(
        'stream',
        { count: RATE, ratePerSec: RATE, lineBytes: LINE_BYTES },
        60_000,
      )
      await waitShown(page, warmUp.lines - 1)
      await clearView()
      const heapStart = await heapAfterGc(cdp)
      const domStart = await domNodes(cdp)
      const rssStart = rendererRssKiB()
      const wsStart = await pageCounters(page)

      const count = RATE * ctx.scale.s8Seconds
      const profile = process.env.BENCH_S8_PROFILE
      if (profile) {
        await cdp.send('Profiler.enable')
        await cdp.send('Profiler.start')
      }
      await page.evaluate(START_RECORDER)
      const sampler = sampleDuring(cdp, page, ctx.clock, ctx.scale.s8Seconds * 1000)
      const bridgeCpuBefore = cpuSeconds(bridge.pid)
      let sent: StreamResult
      try {
        sent = await rig.instrument.call(
          'stream',
          { count, ratePerSec: RATE, lineBytes: LINE_BYTES },
          ctx.scale.s8Seconds * 1000 + 60_000,
        )
      } finally {
        sampler.stop()
      }
      const heapEnd = await heapUsedBytes(cdp)
      const caughtUp = await waitShown(page, count - 1).then(
        () => ctx.clock(),
        () => null,
      )
      const recorded = (await page.evaluate(STOP_RECORDER)) as Recorded
      if (profile) {
        writeFileSync(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile))
        console.error(`  S8 renderer CPU profile: ${profile}`)
      }
      const bridgeCpu = cpuSeconds(bridge.pid) - bridgeCpuBefore
      await sampler.done
      const lastSeqShown = (await page.evaluate(MAX_SEQ_SHOWN)) as number
      const wsEnd = await pageCounters(page)
      const info = (await page.locator('.stream-info').textContent()) ?? ''
      const rssEnd = rendererRssKiB()
      const heapEndGc = await heapAfterGc(cdp)
      const domEnd = await domNodes(cdp)
      // Nothing but the ring (10,000 frames at most) may hold the frames: empty it and look.
      await clearView()
      const heapCleared = await heapAfterGc(cdp)
      const rssCleared = rendererRssKiB()

      const seconds = Math.floor(recorded.elapsedMs / 1000)
      const perSecond = Array.from({ length: seconds }, (_, i) => recorded.perSecond[i] ?? 0)
      const framesReached = wsEnd.frames - wsStart.frames
      return {
        lines: count,
        lineBytes: LINE_BYTES,
        sentLinesPerSec: round(count / ((sent.endNs - sent.startNs) / 1e9)),
        framesReachedPage: framesReached,
        framesReachedPct: round((100 * framesReached) / count, 6),
        droppedForPage: wsEnd.dropped - wsStart.dropped,
        adminMessages: wsEnd.messages - wsStart.messages,
        adminMiB: round((wsEnd.chars - wsStart.chars) / MiB),
        lastSeqShown,
        linesShown: Number(/([\d,]+) lines? shown/.exec(info)?.[1]?.replace(/,/g, '') ?? NaN),
        catchUpMs: caughtUp === null ? null : round((caughtUp - sent.endNs) / 1e6),
        fpsMean: round(perSecond.reduce((a, b) => a + b, 0) / Math.max(1, seconds)),
        fpsMin: perSecond.length ? Math.min(...perSecond) : null,
        fpsPerSecond: perSecond.join(' '),
        worstFrameGapMs: round(recorded.worstGapMs),
        longTasks: recorded.longTasks.length,
        // The Long Tasks API reports tasks of 50 ms and more only; 0 means none that long.
        longestTaskMs: round(Math.max(0, ...recorded.longTasks)),
        heapStartMiB: round(heapStart / MiB),
        heapPeakMiB: round(Math.max(heapStart, sampler.peakHeap, heapEnd) / MiB),
        heapEndMiB: round(heapEnd / MiB),
        heapEndGcMiB: round(heapEndGc / MiB),
        heapClearedGcMiB: round(heapCleared / MiB),
        heapLeftMiB: round((heapCleared - heapStart) / MiB),
        rendererRssStartMiB: round(rssStart / KiB),
        rendererRssPeakMiB: round(Math.max(rssStart, sampler.peakRssKiB, rssEnd) / KiB),
        rendererRssEndMiB: round(rssEnd / KiB),
        rendererRssPerSecondMiB: sampler.rssMiB.join(' '),
        rendererRssClearedGcMiB: round(rssCleared / KiB),
        bridgeCpuSeconds: round(bridgeCpu),
        domNodesStart: domStart,
        domNodesEnd: domEnd,
      }
    }),
}

interface Recorded {
  elapsedMs: number
  perSecond: (number | null)[]
  longTasks: number[]
  worstGapMs: number
}

// The page scripts are strings: tsx would add helpers (`__name`) to functions the page lacks.

/** Counts frame batches on the admin socket as they arrive, without parsing them twice. */
const COUNT_ADMIN_FRAMES = `(() => {
  const counts = { messages: 0, frames: 0, dropped: 0, chars: 0 }
  window.__s8ws = counts
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

const START_RECORDER = `(() => {
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
  window.__s8rec = rec
})()`

const STOP_RECORDER = `(() => {
  const rec = window.__s8rec
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

/** The highest data line number among the rows in the DOM (-1 when none). */
const MAX_SEQ_SHOWN = `(() => {
  let max = -1
  for (const el of document.querySelectorAll('.stream-list .data')) {
    const n = parseInt(el.textContent, 10)
    if (n > max) max = n
  }
  return max
})()`

/**
 * The view has caught up when line `seq` is among the rows drawn. Polled from here, because
 * `waitForFunction` evaluates strings with eval, which the UI's CSP forbids.
 */
async function waitShown(page: Page, seq: number): Promise<void> {
  const deadline = Date.now() + CATCH_UP_TIMEOUT_MS
  while (((await page.evaluate(MAX_SEQ_SHOWN)) as number) < seq) {
    if (Date.now() > deadline)
      throw new Error(`line ${seq} not shown within ${CATCH_UP_TIMEOUT_MS} ms`)
    await new Promise((r) => setTimeout(r, CATCH_UP_POLL_MS))
  }
}

async function pageCounters(
  page: Page,
): Promise<{ messages: number; frames: number; dropped: number; chars: number }> {
  return (await page.evaluate('({ ...window.__s8ws })')) as {
    messages: number
    frames: number
    dropped: number
    chars: number
  }
}

async function heapUsedBytes(cdp: CDPSession): Promise<number> {
  return (await cdp.send('Runtime.getHeapUsage')).usedSize
}

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  // Twice: the first pass can leave garbage only the second finds (weak refs, finalizers).
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.collectGarbage')
  return heapUsedBytes(cdp)
}

async function domNodes(cdp: CDPSession): Promise<number> {
  return (await cdp.send('Memory.getDOMCounters')).nodes
}

/**
 * The largest Chromium renderer among this process's descendants (the page's; others are
 * spare or utility renderers). 0 when none is found.
 */
function rendererRssKiB(): number {
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
 * BENCH_S8_SCREENSHOT=FILE.png also one screenshot halfway through (it costs the page a little).
 */
function sampleDuring(cdp: CDPSession, page: Page, clock: Clock, feedMs: number) {
  const screenshot = process.env.BENCH_S8_SCREENSHOT
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
        console.error(`  S8 screenshot: ${screenshot}`)
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
