import { provePipeline, withRig, type Rig } from '../bench-rig'
import type { InstrumentApi } from '../child-api'
import { forkChild } from '../child-rpc'
import { onCleanup } from '../cleanup-stack'
import { LatencyHistogram } from '../latency-histogram'
import { round, type Scenario, type ScenarioContext } from '../scenario'

const CONCURRENT = 10

/**
 * S7: query → reply round trips against an instrument that answers at once. The bridge uses
 * protocol v1 `query` on /ws. The baseline has no query: a client writes the question on the
 * port stream and picks its own answer out of the broadcast by content, so it cannot misroute.
 * First, with no target running, a program on the target's end of the pty asks the same
 * questions directly: the round trip a tool would see with the COM port to itself.
 */
export const s7Query: Scenario = {
  id: 'S7',
  title: `query round trip: 1 client, then ${CONCURRENT} at a time`,
  run: (ctx) =>
    withRig({ ...ctx, manualStart: true }, async (rig) => {
      const serial = LatencyHistogram.from([await serialRoundTrip(rig, ctx)])
      await rig.launch()
      await provePipeline(rig)

      const via = ctx.target === 'bridge' ? 'control' : 'stream'
      const url = via === 'control' ? rig.controlUrl() : rig.streamUrl()
      const args = { via, port: rig.portId, timeoutMs: 2000 } as const

      const one = await rig.clients(1)
      await one.connect(url)
      const single = await one.query({ ...args, perClient: ctx.scale.s7Queries })
      await one.closeAll()

      const ten = await rig.clients(CONCURRENT)
      await ten.connect(url)
      const multi = await ten.query({
        ...args,
        perClient: Math.ceil(ctx.scale.s7Queries / CONCURRENT),
      })
      const answers = await rig.instrument.call('answers', {})
      const delay = LatencyHistogram.from([answers.delay])
      const singleP99 = single.latency.percentileMs(99)
      const serialP99 = serial.percentileMs(99)
      return {
        via: via === 'control' ? 'query on /ws' : 'line on port stream',
        singleP50Ms: round(single.latency.percentileMs(50)),
        singleP99Ms: round(singleP99),
        singleMaxMs: round(single.latency.maxMs()),
        multiP50Ms: round(multi.latency.percentileMs(50)),
        multiP99Ms: round(multi.latency.percentileMs(99)),
        multiMaxMs: round(multi.latency.maxMs()),
        queries: single.result.answered + multi.result.answered,
        misrouted: single.result.misrouted + multi.result.misrouted,
        timeouts: single.result.timeouts + multi.result.timeouts,
        errors: single.result.errors + multi.result.errors,
        instrumentDelayP99Ms: round(delay.percentileMs(99)),
        serialP50Ms: round(serial.percentileMs(50)),
        serialP99Ms: round(serialP99),
        overSerialP99Ms:
          singleP99 === null || serialP99 === null ? null : round(singleP99 - serialP99),
      }
    }),
}

/** The same sequential questions, asked on the pty end the target would open, by a bare program. */
async function serialRoundTrip(rig: Rig, ctx: ScenarioContext) {
  const asker = await forkChild<InstrumentApi>('./instrument.ts', [ctx.epoch])
  const forget = onCleanup('serial asker', () => asker.stop())
  try {
    await asker.call('open', { path: rig.serialPath })
    return (await asker.call('ask', { count: ctx.scale.s7Queries }, 60_000)).latency
  } finally {
    forget()
    // Closed before the target opens the same end.
    await asker.stop()
  }
}
