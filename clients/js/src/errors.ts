/**
 * Errors: the bridge's protocol codes as classes, so callers can `catch` by kind, plus the
 * client's own (`ConnectionLost`, `ConnectFailed`, `NotSupported`). Every one is a `BridgeError`
 * with `.code`.
 */
export class BridgeError extends Error {
  constructor(
    /** The protocol's error code (`TIMEOUT`, `UNKNOWN_PORT`, ...) or one of the client's own. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'BridgeError'
  }
}

type ErrorKind = new (message: string, options?: { cause?: unknown }) => BridgeError

/** Declares a subclass with a fixed code, so each kind is one line below. */
function kind(name: string, code: string): ErrorKind {
  const Kind = class extends BridgeError {
    constructor(message: string, options?: { cause?: unknown }) {
      super(code, message, options)
      this.name = name
    }
  }
  Object.defineProperty(Kind, 'name', { value: name })
  return Kind
}

/** The request was malformed or has a field the bridge does not know. */
export class BadMessage extends kind('BadMessage', 'BAD_MESSAGE') {}
/** No port with that id is configured. */
export class UnknownPort extends kind('UnknownPort', 'UNKNOWN_PORT') {}
/** The port is not open (closed, unplugged, reconnecting), or the write failed. */
export class PortNotOpen extends kind('PortNotOpen', 'PORT_NOT_OPEN') {}
/** The instrument did not answer in time (or the port did not take a write in time). */
export class Timeout extends kind('Timeout', 'TIMEOUT') {}
/** The operator made this client read-only. */
export class Forbidden extends kind('Forbidden', 'FORBIDDEN') {}
/** A bounded queue is full; nothing was sent. Try again later. */
export class Busy extends kind('Busy', 'BUSY') {}
/** This client sent more messages per second than the bridge allows; nothing was sent. */
export class RateLimited extends kind('RateLimited', 'RATE_LIMITED') {}
/** A fault inside the bridge (a bug there). */
export class InternalError extends kind('InternalError', 'INTERNAL') {}
/** A message was larger than the bridge accepts. */
export class TooLarge extends kind('TooLarge', 'TOO_LARGE') {}
/**
 * The connection dropped (or the Bridge was closed) while this request was in flight. It is
 * never sent again by the client: the instrument may or may not have received it.
 */
export class ConnectionLost extends kind('ConnectionLost', 'CONNECTION_LOST') {}
/** The server does not announce the feature this call needs (see `bridge.hello.features`). */
export class NotSupported extends kind('NotSupported', 'NOT_SUPPORTED') {}

/**
 * The first connection could not be made; `status` is the HTTP status of a refused upgrade,
 * `nobodyListening` is true when nothing listened at the address (connection refused; Node only).
 */
export class ConnectFailed extends BridgeError {
  readonly nobodyListening: boolean

  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown; nobodyListening?: boolean },
  ) {
    super('CONNECT_FAILED', message, options)
    this.name = 'ConnectFailed'
    this.nobodyListening = options?.nobodyListening ?? false
  }
}

const byCode: Record<string, new (message: string) => BridgeError> = {
  BAD_MESSAGE: BadMessage,
  UNKNOWN_PORT: UnknownPort,
  PORT_NOT_OPEN: PortNotOpen,
  TIMEOUT: Timeout,
  FORBIDDEN: Forbidden,
  BUSY: Busy,
  RATE_LIMITED: RateLimited,
  INTERNAL: InternalError,
  TOO_LARGE: TooLarge,
}

/** The exception for an `error` message from the bridge; unknown codes give the base class. */
export function errorFromCode(code: string, message: string): BridgeError {
  const Kind = Object.hasOwn(byCode, code) ? byCode[code] : undefined
  return Kind ? new Kind(message) : new BridgeError(code, message)
}
