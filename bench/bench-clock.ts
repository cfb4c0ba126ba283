/**
 * Every bench process measures against the same monotonic epoch (CLOCK_MONOTONIC is shared by
 * all processes on one machine), so a stamp written by one process is read by another.
 * Nanoseconds since the epoch stay exact as plain numbers for about 100 days.
 */
export type Clock = () => number

export function clockFrom(epochNs: string): Clock {
  const epoch = BigInt(epochNs)
  return () => Number(process.hrtime.bigint() - epoch)
}

export function newEpoch(): string {
  return process.hrtime.bigint().toString()
}

/**
 * Calls `send(seq)` for seq 0..count-1 on a fixed schedule of `ratePerSec`, catching up without
 * sleeping when behind. Bounded: the schedule plus 30 s of slack, whatever the receiver does.
 */
export async function paced(
  clock: Clock,
  count: number,
  ratePerSec: number,
  send: (seq: number) => unknown,
): Promise<void> {
  const startNs = clock()
  const periodNs = 1e9 / ratePerSec
  const deadlineNs = startNs + count * periodNs + 30e9
  for (let seq = 0; seq < count && clock() < deadlineNs;) {
    const waitNs = startNs + seq * periodNs - clock()
    if (waitNs > 0) {
      await new Promise((resolve) => setTimeout(resolve, waitNs / 1e6))
      continue
    }
    await send(seq)
    seq++
  }
}
