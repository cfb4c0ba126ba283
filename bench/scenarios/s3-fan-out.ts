import { withRig } from '../bench-rig'
import { waitDelivered } from '../client-group'
import { cpuSeconds, memory, RssSampler } from '../proc-stats'
import { deliveryMetrics, KiB, round, type Scenario } from '../scenario'

const RATE = 100
const LINE_BYTES = 64

/** S3: many clients at 100 lines/s: p99, completeness, target CPU seconds and peak RSS. */
export function s3FanOut(clientCount: number): Scenario {
  return {
    id: `S3/${clientCount}`,
    title: `fan-out: ${clientCount} clients, ${RATE} lines/s`,
    run: (ctx) =>
      withRig(ctx, async (rig) => {
        const group = await rig.clients(clientCount, 500)
        const { opened } = await group.connect(rig.streamUrl())
        const count = RATE * ctx.scale.s3Seconds
        await group.track(count)
        const pid = rig.target.pid
        const rssBefore = memory(pid).rssKiB
        const sampler = new RssSampler(pid)
        const cpuBefore = cpuSeconds(pid)
        const clientCpu = () => group.pids.reduce((n, p) => n + cpuSeconds(p), 0)
        const clientCpuBefore = clientCpu()
        try {
          await rig.instrument.call(
            'stream',
            { count, ratePerSec: RATE, lineBytes: LINE_BYTES },
            ctx.scale.s3Seconds * 1000 + 60_000,
          )
          await waitDelivered(group, count, { stallMs: 3000, deadlineMs: 60_000 })
        } finally {
          sampler.stop()
        }
        const cpu = cpuSeconds(pid) - cpuBefore
        const clientCpuUsed = clientCpu() - clientCpuBefore
        const { latency, clients } = await group.report()
        return {
          clients: clientCount,
          connected: opened,
          lines: count,
          ...deliveryMetrics(latency, clients, count),
          cpuSeconds: round(cpu),
          // On a 2-core box the clients compete with the target for CPU; this shows how much.
          clientCpuSeconds: round(clientCpuUsed),
          rssBeforeMiB: round(rssBefore / KiB),
          peakRssMiB: round(sampler.peakKiB / KiB),
        }
      }),
  }
}
