/** Whether one more message may go now; if not, how long until one may. */
export type Spend = { ok: true } | { ok: false; retryAfterMs: number }

/**
 * A token bucket: `rate` tokens a second, holding at most one second's worth, so a client may
 * send a burst of `rate` messages and then `rate` a second. The rate is read at each spend, so
 * a changed setting applies at once. `now` is a monotonic clock in milliseconds.
 */
export class TokenBucket {
  private tokens: number | null = null
  private at = 0

  constructor(private readonly now: () => number) {}

  spend(rate: number): Spend {
    const now = this.now()
    const refilled = this.tokens === null ? rate : this.tokens + ((now - this.at) * rate) / 1000
    this.tokens = Math.min(rate, refilled)
    this.at = now
    if (this.tokens >= 1) {
      this.tokens -= 1
      return { ok: true }
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - this.tokens) * 1000) / rate) }
  }
}
