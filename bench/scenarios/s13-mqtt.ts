import { BENCH_PREFIX, startSubscriber, uplinkSettings, withBroker } from '../bench-broker'
import { PORT_ID, withRig } from '../bench-rig'
import { LatencyHistogram } from '../latency-histogram'
import { waitForLines } from '../line-tally'
import { round, type Scenario } from '../scenario'

const RATE = 1000
const LINE_BYTES = 64
const TOPIC = `${BENCH_PREFIX}/ports/${PORT_ID}/rx`

/**
 * S13 (issue 12): 1,000 lines/s from the pty to an MQTT subscriber through Mosquitto. The
 * bridge's uplink against bench/baseline-mqtt.ts, a bare serialport + mqtt.js pipeline.
 */
export const s13Mqtt: Scenario = {
  id: 'S13',
  title: `MQTT uplink: ${RATE} lines/s through Mosquitto to a subscriber`,
  run: (ctx) =>
    withBroker((broker) =>
      withRig(
        {
          ...ctx,
          extraSettings: uplinkSettings(broker),
          baselineEntry: 'bench/baseline-mqtt.ts',
          manualStart: true,
        },
        async (rig) => {
          await rig.launch()
          const subscriber = await startSubscriber(broker, TOPIC, ctx.epoch)
          // The pipeline works end to end (the port and the uplink may come up after `listening`).
          const first = subscriber.call('awaitFrame', { timeoutMs: 30_000 }, 35_000)
          await rig.instrument.call('probe', { intervalMs: 10, max: 3000 })
          await first
          await rig.instrument.call('stopProbe', {})

          const count = RATE * ctx.scale.s13Seconds
          await subscriber.call('track', { expected: count })
          const sent = await rig.instrument.call(
            'stream',
            { count, ratePerSec: RATE, lineBytes: LINE_BYTES },
            ctx.scale.s13Seconds * 1000 + 60_000,
          )
          // Until every line arrived, or nothing more did for 2 s.
          await waitForLines(
            async () => (await subscriber.call('progress', {})).unique,
            count,
            2000,
          )
          const report = await subscriber.call('report', {})
          const latency = LatencyHistogram.from([report.latency])
          return {
            lines: count,
            sentLinesPerSec: round(count / ((sent.endNs - sent.startNs) / 1e9)),
            p50Ms: round(latency.percentileMs(50)),
            p99Ms: round(latency.percentileMs(99)),
            maxMs: round(latency.maxMs()),
            lost: count - report.unique,
            outOfOrder: report.outOfOrder,
            duplicates: report.duplicates,
          }
        },
      ),
    ),
}
