/**
 * A poll's schedule: tick k (from 1) is due at `start + k × interval`, whenever the previous
 * reply came. So replies never push the schedule later (no drift), and after a stall the ticks
 * passed over are counted, not fired in a burst. The first is one interval after the start: a
 * device that has just been opened may need a moment (an Arduino resets when its port opens).
 */
export class PollSchedule {
  private last = 0

  constructor(
    private readonly start: number,
    readonly intervalMs: number,
  ) {}

  /** The tick due at `now` and how many were passed over since the last; null if none is due. */
  due(now: number): { tick: number; missed: number } | null {
    const tick = Math.floor((now - this.start) / this.intervalMs)
    if (tick <= this.last) return null
    const missed = tick - this.last - 1
    this.last = tick
    return { tick, missed }
  }

  /** Milliseconds from `now` until the next tick is due. */
  delayToNext(now: number): number {
    return Math.max(0, this.start + (this.last + 1) * this.intervalMs - now)
  }
}
