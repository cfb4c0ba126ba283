/** The server's bounds on what may wait for one port, read at each request. */
export interface PortLimits {
  maxQueuedQueries: number
  maxQueuedWriteBytes: number
  writeTimeoutMs: number
}

/** For a port used on its own (tests, tools): nothing refused, writes wait as long as timers can. */
export const NO_PORT_LIMITS: PortLimits = {
  maxQueuedQueries: Infinity,
  maxQueuedWriteBytes: Infinity,
  writeTimeoutMs: 2 ** 31 - 1,
}
