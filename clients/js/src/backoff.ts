/** How the client reconnects after the connection drops. */
export interface ReconnectOptions {
  /** Delay before the first attempt. Default 250 ms. */
  initialDelayMs?: number
  /** The delay doubles after each failed attempt up to this. Default 5000 ms. */
  maxDelayMs?: number
  /**
   * Each delay is shortened by a random part of up to this fraction (0–1), so that many
   * clients of a restarted bridge do not all knock at once. Default 0.25.
   */
  jitter?: number
  /** Attempts in a row before giving up; default Infinity (try forever). */
  maxAttempts?: number
}

export type ReconnectPolicy = Required<ReconnectOptions>

export function reconnectPolicy(option: boolean | ReconnectOptions | undefined): ReconnectPolicy {
  const given = typeof option === 'object' ? option : {}
  return {
    initialDelayMs: given.initialDelayMs ?? 250,
    maxDelayMs: given.maxDelayMs ?? 5000,
    jitter: Math.min(Math.max(given.jitter ?? 0.25, 0), 1),
    maxAttempts: option === false ? 0 : (given.maxAttempts ?? Infinity),
  }
}

/** The wait before attempt number `attempt` (0 for the first after a drop). */
export function backoffDelay(
  attempt: number,
  policy: ReconnectPolicy,
  random: () => number = Math.random,
): number {
  const full = Math.min(policy.initialDelayMs * 2 ** Math.min(attempt, 30), policy.maxDelayMs)
  return Math.round(full * (1 - policy.jitter * random()))
}
