/** Why a queued write or query was not done; the control endpoint maps each to an error code. */

/** A bounded queue is full: nothing was sent (`BUSY`). */
export class BusyError extends Error {}

/** The port did not take a write within the write timeout (`TIMEOUT`). */
export class WriteTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`the port did not take the bytes within ${timeoutMs} ms`)
  }
}

/** The client that asked has gone: its queued work is dropped, never sent. */
export class OwnerGoneError extends Error {
  constructor() {
    super('the client that sent this has disconnected')
  }
}
