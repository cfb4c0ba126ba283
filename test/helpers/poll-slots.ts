/** How a poll's commands, as the instrument received them, sit in the poll's schedule. */
export interface SlotReport {
  /** The last slot (tick number) due before the end of the window. */
  slots: number
  /** Arrivals in the same slot as the one before: a tick more than one interval late, or a burst. */
  shared: number
  /** Arrivals before the first slot: a tick fired before its time. */
  early: number
  /** Slots from 1 to `slots` that no command arrived in. */
  empty: number
  /** Each arrival's time after the start of its slot, in ms (0 to one interval). */
  lateness: number[]
}

/**
 * Places each arrival in the schedule `start + k × interval` (k from 1): its slot is the last one
 * due before it arrived. One arrival per slot, and empty slots exactly where the poll counted a
 * skip, means every command sent reached the instrument within one interval of its own slot.
 * A schedule timed from the last reply drifts: it leaves slots empty that it never counted as
 * skipped. One that fires in a burst after a stall puts two arrivals in one slot.
 */
export function placeInSlots(
  arrivals: readonly number[],
  start: number,
  intervalMs: number,
  end: number,
): SlotReport {
  const slots = Math.floor((end - start) / intervalMs)
  const seen = new Set<number>()
  const report: SlotReport = { slots, shared: 0, early: 0, empty: 0, lateness: [] }
  let previous = 0
  for (const at of arrivals) {
    const slot = Math.floor((at - start) / intervalMs)
    if (slot < 1) report.early += 1
    else if (slot === previous) report.shared += 1
    previous = slot
    if (slot >= 1 && slot <= slots) seen.add(slot)
    report.lateness.push(at - start - slot * intervalMs)
  }
  report.empty = slots - seen.size
  return report
}

/** The q-quantile (0..1) of some numbers, for reports. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(q * (sorted.length - 1))] ?? NaN
}
