import type { Rig } from '../bench-rig'
import { withRig } from '../bench-rig'
import type { ClientGroup } from '../client-group'
import { LatencyHistogram } from '../latency-histogram'
import { round, type Metrics, type Scenario } from '../scenario'

const PACED_RATE = 500

/** S6: commands from a client to the port, paced and in a burst: all intact and in order. */
export const s6WritePath: Scenario = {
  id: 'S6',
  title: `write path: commands paced (${PACED_RATE}/s) and in a burst`,
  run: (ctx) =>
    withRig(ctx, async (rig) => {
      const group = await rig.clients(1)
      await group.connect(rig.streamUrl())
      const count = ctx.scale.s6Commands
      const paced = await sendAndCount(rig, group, count, PACED_RATE, 'paced')
      const burst = await sendAndCount(rig, group, count, 0, 'burst')
      return { commands: count, pacedPerSec: PACED_RATE, ...paced, ...burst }
    }),
}

async function sendAndCount(
  rig: Rig,
  group: ClientGroup,
  count: number,
  ratePerSec: number,
  name: string,
): Promise<Metrics> {
  await rig.instrument.call('collect', {})
  await group.first().call('send', { index: 0, count, ratePerSec }, 120_000)
  // Until the instrument holds them all, or nothing new arrived for 2 s (at most 30 s).
  const deadline = Date.now() + 30_000
  let stats = await rig.instrument.call('commands', {})
  let last = -1
  let lastChange = Date.now()
  while (stats.received < count && Date.now() < deadline) {
    if (stats.received !== last) {
      last = stats.received
      lastChange = Date.now()
    } else if (Date.now() - lastChange > 2000) break
    await new Promise((r) => setTimeout(r, 50))
    stats = await rig.instrument.call('commands', {})
  }
  const latency = LatencyHistogram.from([stats.latency])
  return {
    [`${name}P50Ms`]: round(latency.percentileMs(50)),
    [`${name}P99Ms`]: round(latency.percentileMs(99)),
    [`${name}MaxMs`]: round(latency.maxMs()),
    [`${name}Lost`]: count - (stats.received - stats.duplicates),
    [`${name}Corrupt`]: stats.corrupt,
    [`${name}OutOfOrder`]: stats.outOfOrder,
    [`${name}Duplicates`]: stats.duplicates,
  }
}
