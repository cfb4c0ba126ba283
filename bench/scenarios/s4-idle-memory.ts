import { withRig, type Rig } from '../bench-rig'
import { collectGarbage } from '../inspector-gc'
import { memory } from '../proc-stats'
import { KiB, round, type Scenario } from '../scenario'

/**
 * S4: RSS per idle client after garbage collection. The target runs with its inspector open;
 * a full GC is forced through it before each reading, so neither server needs bench code.
 */
export const s4IdleMemory: Scenario = {
  id: 'S4',
  title: 'idle memory: RSS per idle client after GC',
  run: (ctx) =>
    withRig({ ...ctx, inspect: true }, async (rig) => {
      const clientCount = ctx.scale.s4Clients
      const before = await settledReading(rig)
      const group = await rig.clients(clientCount, 250)
      const { opened } = await group.connect(rig.streamUrl())
      const after = await settledReading(rig)
      return {
        clients: clientCount,
        connected: opened,
        rssBeforeMiB: round(before.rssKiB / KiB),
        rssAfterMiB: round(after.rssKiB / KiB),
        perClientKiB: round((after.rssKiB - before.rssKiB) / opened),
        heapPerClientKiB: round((after.heapBytes - before.heapBytes) / KiB / opened),
      }
    }),
}

/** GC, then the lower of two RSS readings taken after it (a reading can catch a late allocation). */
async function settledReading(rig: Rig): Promise<{ rssKiB: number; heapBytes: number }> {
  const inspector = rig.target.inspectorUrl
  if (!inspector) throw new Error('target started without its inspector')
  const heap = await collectGarbage(inspector)
  const first = memory(rig.target.pid).rssKiB
  const heapAgain = await collectGarbage(inspector)
  const second = memory(rig.target.pid).rssKiB
  return {
    rssKiB: Math.min(first, second),
    heapBytes: Math.min(heap.usedBytes, heapAgain.usedBytes),
  }
}
