/**
 * @serial-bridge/client: Serial Bridge from Node.js and browsers.
 *
 *   const bridge = await connect('ws://127.0.0.1:8765')
 *   for await (const item of bridge.stream('meter')) console.log(String(item))
 */
export { Bridge, connect } from './bridge.js'
export type { BridgeStats, ConnectOptions, QueryOptions } from './options.js'
export type { ReconnectOptions } from './backoff.js'
export {
  BadMessage,
  BridgeError,
  Busy,
  ConnectFailed,
  ConnectionLost,
  errorFromCode,
  Forbidden,
  InternalError,
  PortNotOpen,
  RateLimited,
  Timeout,
  TooLarge,
  UnknownPort,
  NotSupported,
} from './errors.js'
export { Frame, Gap, Reply } from './items.js'
export type { PortStatus, StreamItem } from './items.js'
export type { PollOptions } from './polls.js'
export { PortStream } from './port-stream.js'
export type { ConnectionEvent } from './session.js'
export type { WebSocketConstructor, WebSocketLike } from './socket.js'
export type { HelloMessage, PortInfo, PortMetrics, PortState, WriteEncoding } from './wire.js'
