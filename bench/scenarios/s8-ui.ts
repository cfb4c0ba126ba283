import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { withRig } from '../bench-rig'
import type { StreamResult } from '../child-api'
import {
  COUNT_ADMIN_FRAMES,
  domNodes,
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
 * S8 (issue 4): the stream view in Chromium fed 10,000 frames/s for 10 s, all through the real
 * path: instrument → socat pty → headless bridge with `--ui` → admin WebSocket → the React UI
 * in /usr/bin/chromium. Measured in the page: animation frames per second, long tasks, the JS
 * heap (CDP) and the renderer's RSS. The baseline has no UI, so S8 runs against the bridge only.
 */
const RATE = 10_000
const LINE_BYTES = 64
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

      const browser = await launchChromium()
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
      const stopProfile = await profilePage(cdp, process.env.BENCH_S8_PROFILE)
      await page.evaluate(START_RECORDER)
      const sampler = sampleDuring(
        cdp,
        page,
        ctx.clock,
        ctx.scale.s8Seconds * 1000,
        process.env.BENCH_S8_SCREENSHOT,
      )
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
      await stopProfile()
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

      const perSecond = perWholeSecond(recorded.perSecond, recorded.elapsedMs)
      const seconds = perSecond.length
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
