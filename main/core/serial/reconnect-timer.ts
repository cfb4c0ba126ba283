/** Retry delays after an unplug: every 0.5 s at first, backing off to 1.5 s. */
export const RETRY_DELAYS_MS = [500, 500, 1000, 1500]

/** When a port that is missing or busy tries to open again; one per port. */
export class ReconnectTimer {
  private timer: NodeJS.Timeout | null = null
  private count = 0

  /** The next try, later each time until `reset`. */
  schedule(retry: () => void): void {
    this.cancel()
    const delay = RETRY_DELAYS_MS[Math.min(this.count, RETRY_DELAYS_MS.length - 1)]!
    this.count += 1
    this.timer = setTimeout(() => {
      this.timer = null
      retry()
    }, delay)
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  /** It opened: the next unplug starts again from the shortest delay. */
  reset(): void {
    this.count = 0
  }
}
