import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CDPSession, Page } from '@playwright/test'
import { withRig } from '../bench-rig'
import type { StreamResult } from '../child-api'
import {
  COUNT_ADMIN_FRAMES,
  heapAfterGc,
  heapUsedBytes,
  launchChromium,
  pageCounters,
  perWholeSecond,
  profilePage,
  rendererRssKiB,
  sampleDuring,
  START_RECORDER,
  STOP_RECORDER,
  type Recorded,
} from '../chromium-page'
import { onCleanup } from '../cleanup-stack'
import { cpuSeconds } from '../proc-stats'
import { KiB, MiB, round, type Scenario } from '../scenario'
import { startTarget } from '../target-process'

/**
 * S9 (issue 8): the Plot view in Chromium fed 4 channels × 1,000 samples/s for 10 s through the
 * real path: instrument → socat pty → headless bridge (`parse: keyValue`) → admin WebSocket →
 * the plot in /usr/bin/chromium. Measured in the page: canvas redraws per second (uPlot clears
 * its whole canvas once per draw), animation frames, long tasks and the JS heap.
 */
const RATE = 1000
const CHANNELS = ['A', 'B', 'C', 'D']
/** Heap after the feed and GC, over the heap before it: above this it grew. */
export const S9_FLAT_HEAP_MIB = 1

export const s9Plot: Scenario = {
  id: 'S9',
  title: `UI: plot view in Chromium at ${CHANNELS.length} × ${RATE.toLocaleString('en-US')} samples/s`,
  targets: ['bridge'],
  run: (ctx) =>
    withRig({ ...ctx, manualStart: true }, async (rig) => {
      const dir = mkdtempSync(join(tmpdir(), 'sb-bench-s9-'))
      onCleanup('s9 config dir', () => rmSync(dir, { recursive: true, force: true }))
      const configPath = join(dir, 'config.json')
      const settings = {
        ...rig.settings,
        ports: rig.settings.ports!.map((p) => ({ ...p, parse: { mode: 'keyValue' as const } })),
      }
      writeFileSync(configPath, JSON.stringify(settings))
      const bridge = await startTarget('bridge', configPath, ctx.clock, { ui: true })

      const browser = await launchChromium()
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
      await page.addInitScript(COUNT_ADMIN_FRAMES)
      await page.addInitScript(COUNT_DRAWS)
      await page.goto(bridge.uiUrl!)
      await page.getByRole('tab', { name: 'Plot' }).click()
      await page.getByRole('combobox', { name: 'Port' }).selectOption(rig.portId)
      await page.locator('.badge', { hasText: /^Open$/ }).waitFor({ timeout: 25_000 })

      const seconds = ctx.scale.s9Seconds
      const count = RATE * seconds
      const feed = (firstSeq: number) =>
        rig.instrument.call(
          'stream',
          { count, ratePerSec: RATE, lineBytes: 0, firstSeq, values: true },
          seconds * 1000 + 60_000,
        )
      // The same feed first: the 10 s window and the stream view's 10,000-frame ring fill up,
      // and V8 compiles what it keeps; "flat" then compares a full view with a full view.
      await feed(0)
      await waitFramesReached(page, count)
      const cdp = await page.context().newCDPSession(page)
      const heapStart = await heapAfterGc(cdp)
      const rssStart = rendererRssKiB()
      const wsStart = await pageCounters(page)
      await cdp.send('Performance.enable')
      const busyStart = await mainThreadSeconds(cdp)

      const stopProfile = await profilePage(cdp, process.env.BENCH_S9_PROFILE)
      await page.evaluate(`${START_RECORDER}; ${START_DRAWS}`)
      const sampler = sampleDuring(
        cdp,
        page,
        ctx.clock,
        seconds * 1000,
        process.env.BENCH_S9_SCREENSHOT,
      )
      const bridgeCpuBefore = cpuSeconds(bridge.pid)
      let sent: StreamResult
      try {
        sent = await feed(count)
      } finally {
        sampler.stop()
      }
      const busy = (await mainThreadSeconds(cdp)) - busyStart
      await stopProfile()
      const recorded = (await page.evaluate(STOP_RECORDER)) as Recorded
      const draws = (await page.evaluate(STOP_DRAWS)) as (number | null)[]
      const bridgeCpu = cpuSeconds(bridge.pid) - bridgeCpuBefore
      await sampler.done
      const heapEnd = await heapUsedBytes(cdp)
      await waitFramesReached(page, 2 * count)
      const wsEnd = await pageCounters(page)
      const heapEndGc = await heapAfterGc(cdp)
      const rssEnd = rendererRssKiB()

      const fps = perWholeSecond(recorded.perSecond, recorded.elapsedMs)
      const drawn = perWholeSecond(draws, recorded.elapsedMs)
      const framesReached = wsEnd.frames - wsStart.frames
      return {
        samplesPerSec: RATE,
        channels: CHANNELS.length,
        sentLinesPerSec: round(count / ((sent.endNs - sent.startNs) / 1e9)),
        framesReachedPct: round((100 * framesReached) / count, 6),
        droppedForPage: wsEnd.dropped - wsStart.dropped,
        // The readout's count for the 10 s window: the feed's 10 s, give or take its edges.
        samplesShown: await samplesShown(page),
        drawsMin: drawn.length ? Math.min(...drawn) : null,
        drawsMean: round(drawn.reduce((a, b) => a + b, 0) / Math.max(1, drawn.length)),
        drawsPerSecond: drawn.join(' '),
        fpsMin: fps.length ? Math.min(...fps) : null,
        worstFrameGapMs: round(recorded.worstGapMs),
        longTasks: recorded.longTasks.length,
        // The Long Tasks API reports tasks of 50 ms and more only; 0 means none that long.
        longestTaskMs: round(Math.max(0, ...recorded.longTasks)),
        // Share of the feed's time the page's main thread ran tasks (script, layout, paint).
        mainThreadBusyPct: round((100 * busy) / (recorded.elapsedMs / 1000)),
        heapStartMiB: round(heapStart / MiB),
        heapPeakMiB: round(Math.max(heapStart, sampler.peakHeap, heapEnd) / MiB),
        heapEndGcMiB: round(heapEndGc / MiB),
        heapGrowthMiB: round((heapEndGc - heapStart) / MiB),
        rendererRssStartMiB: round(rssStart / KiB),
        rendererRssEndMiB: round(rssEnd / KiB),
        rendererRssPerSecondMiB: sampler.rssMiB.join(' '),
        bridgeCpuSeconds: round(bridgeCpu),
      }
    }),
}

/**
 * Counts uPlot's draws: each one starts by clearing its whole canvas. Other clears (parts of a
 * canvas) are not draws. Counted per second from START_DRAWS, like the frame recorder.
 */
const COUNT_DRAWS = `(() => {
  const rec = { start: 0, perSecond: [], running: false }
  window.__benchDraws = rec
  const clear = CanvasRenderingContext2D.prototype.clearRect
  CanvasRenderingContext2D.prototype.clearRect = function (x, y, w, h) {
    if (rec.running && x === 0 && y === 0 && w === this.canvas.width && h === this.canvas.height) {
      const second = Math.floor((performance.now() - rec.start) / 1000)
      rec.perSecond[second] = (rec.perSecond[second] || 0) + 1
    }
    return clear.call(this, x, y, w, h)
  }
})()`
const START_DRAWS = `(() => {
  const rec = window.__benchDraws
  rec.start = performance.now()
  rec.perSecond = []
  rec.running = true
})()`
const STOP_DRAWS = `(() => {
  window.__benchDraws.running = false
  return window.__benchDraws.perSecond
})()`

/** Seconds the page's main thread has spent in tasks so far (CDP Performance metrics). */
async function mainThreadSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics')
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN
}

const CATCH_UP_TIMEOUT_MS = 30_000
const CATCH_UP_POLL_MS = 100

/** "Samples shown" of channel A in the readout (NaN while there is none). */
async function samplesShown(page: Page): Promise<number> {
  const row = page
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'A', exact: true }) })
  const text = (await row.getByRole('cell').last().textContent({ timeout: 5000 })) ?? ''
  return Number(text.replace(/,/g, '') || NaN)
}

/**
 * Waits until `total` frames reached the page (or were dropped for it, which the counters
 * show). Polled from here: `waitForFunction` evaluates strings with eval, which the CSP forbids.
 */
async function waitFramesReached(page: Page, total: number): Promise<void> {
  const deadline = Date.now() + CATCH_UP_TIMEOUT_MS
  for (;;) {
    const { frames, dropped } = await pageCounters(page)
    if (frames + dropped >= total || Date.now() > deadline) return
    await new Promise((r) => setTimeout(r, CATCH_UP_POLL_MS))
  }
}
