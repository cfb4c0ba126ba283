/**
 * When a released port opens again by itself (feature `release`). One per port; `cancel` on any
 * explicit open or close.
 */
export class ReleaseTimer {
  private timer: NodeJS.Timeout | null = null
  private untilMs: number | null = null

  constructor(private readonly now: () => number) {}

  /** `until` epoch ms, or null: no timer, until opened. */
  set(until: number | null, reopen: () => void): void {
    this.cancel()
    this.untilMs = until
    if (until !== null) this.timer = setTimeout(reopen, Math.max(0, until - this.now()))
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.untilMs = null
  }

  /** ISO-8601, or null when released until opened. */
  get until(): string | null {
    return this.untilMs === null ? null : new Date(this.untilMs).toISOString()
  }
}
