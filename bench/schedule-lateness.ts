/**
 * How far each command of a poll reached the instrument from the poll's schedule, in ms, from the
 * instrument's arrival times: each arrival's place within its interval, against the typical
 * (median) place, wrapped into ±interval/2. So the line's own delay is left out, and skipped
 * ticks need no counting. (Drift beyond one interval is a count: see the poll's `skipped`.)
 */
export function scheduleOffsets(arrivals: readonly number[], intervalMs: number): number[] {
  const wrap = (ms: number): number => {
    const r = ms - Math.round(ms / intervalMs) * intervalMs
    return r === -intervalMs / 2 ? intervalMs / 2 : r
  }
  const first = arrivals[0] ?? 0
  const phases = arrivals.map((at) => wrap(at - first))
  const median = [...phases].sort((a, b) => a - b)[Math.floor(phases.length / 2)] ?? 0
  return phases.map((phase) => wrap(phase - median))
}
