import { withRig } from '../bench-rig'
import { round, type Scenario } from '../scenario'

/**
 * Startup: from spawning the command to `listening on` (ready) and to the first line a client
 * receives. The instrument writes a line every 2 ms throughout. One unmeasured warm-up run
 * fills tsx's compile cache, as a second start on a lab PC would find it.
 */
export const startup: Scenario = {
  id: 'Startup',
  title: 'startup: command to ready and to first line delivered',
  run: (ctx) =>
    withRig({ ...ctx, manualStart: true }, async (rig) => {
      const group = await rig.clients(1)
      const pool = group.first()
      await rig.instrument.call('probe', { intervalMs: 2, max: 60_000 })
      const ready: number[] = []
      const firstLine: number[] = []
      const exitCodes: (number | null)[] = []
      for (let run = 0; run <= ctx.scale.startupRuns; run++) {
        const target = await rig.launch()
        const frame = pool.call('awaitFrame', { timeoutMs: 20_000 }, 25_000)
        await group.connect(rig.streamUrl(), 1)
        const { atNs } = await frame
        if (run > 0) {
          ready.push((target.readyNs - target.spawnedNs) / 1e6)
          firstLine.push((atNs - target.spawnedNs) / 1e6)
        }
        await group.closeAll()
        exitCodes.push(await target.stop())
      }
      await rig.instrument.call('stopProbe', {})
      return {
        runs: ready.length,
        readyMs: round(median(ready)),
        firstLineMs: round(median(firstLine)),
        readyMinMs: round(Math.min(...ready)),
        readyMaxMs: round(Math.max(...ready)),
        exitCodesOnSigterm: [...new Set(exitCodes)].join(','),
      }
    }),
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2
}
