import { PORT_ID, withRig } from '../bench-rig'
import type { ResumeClientApi } from '../child-api'
import { forkChild } from '../child-rpc'
import { onCleanup } from '../cleanup-stack'
import { LatencyHistogram } from '../latency-histogram'
import { waitForLines } from '../line-tally'
import { round, type Scenario } from '../scenario'

const RATE = 1000
const LINE_BYTES = 64
const CUT_EVERY_MS = 1000
/** How long each cut keeps the client away: a blip, during which ~100 lines are read. */
const OUTAGE_MS = 100

/**
 * S12 (issue 9): a client cut every second while 1,000 lines/s flow. On the bridge it resumes
 * (`since` + `epoch` on /ws) and must get every line exactly once; the bare pipeline has no
 * resume, so its client reconnects to the port stream and loses what was read meanwhile.
 * "Added latency" is the p99 of the lines read just after the client is back (they queue
 * behind the replay) over the p99 of its other lines, in the same run.
 */
export const s12Resume: Scenario = {
  id: 'S12',
  title: `resume: a client cut every ${CUT_EVERY_MS} ms (away ${OUTAGE_MS} ms), ${RATE} lines/s`,
  run: (ctx) =>
    withRig(ctx, async (rig) => {
      const client = await forkChild<ResumeClientApi>('./resume-client.ts', [ctx.epoch])
      onCleanup('resume client', () => client.stop())
      const count = RATE * ctx.scale.s12Seconds
      await client.call('start', {
        url: rig.target.url,
        port: PORT_ID,
        mode: ctx.target === 'bridge' ? 'resume' : 'reconnect',
        expected: count,
        cutEveryMs: CUT_EVERY_MS,
        outageMs: OUTAGE_MS,
      })
      const sent = await rig.instrument.call(
        'stream',
        { count, ratePerSec: RATE, lineBytes: LINE_BYTES },
        ctx.scale.s12Seconds * 1000 + 60_000,
      )
      await client.call('calm', {})
      // Until every line arrived, or nothing more did for 3 s (the bare pipeline's are gone).
      await waitForLines(async () => (await client.call('progress', {})).unique, count, 3000)
      const report = await client.call('stop', {})
      const p99 = (data: Parameters<typeof LatencyHistogram.from>[0][number]) =>
        LatencyHistogram.from([data]).percentileMs(99)
      const steady = p99(report.steady)
      const afterResume = p99(report.afterResume)
      return {
        lines: count,
        sentLinesPerSec: round(count / ((sent.endNs - sent.startNs) / 1e9)),
        cuts: report.cuts,
        lost: count - report.unique,
        firstMissing: report.firstMissing.join(' ') || null,
        duplicates: report.duplicates,
        outOfOrder: report.outOfOrder,
        gaps: report.gaps,
        steadyP99Ms: round(steady),
        afterResumeP99Ms: round(afterResume),
        addedP99Ms: steady === null || afterResume === null ? null : round(afterResume - steady),
        replayedP99Ms: round(p99(report.replayed)),
        reconnectP99Ms: round(p99(report.reconnect)),
        catchUpP99Ms: round(p99(report.catchUp)),
      }
    }),
}
