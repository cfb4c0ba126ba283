import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { WebSocketServer } from 'ws'
import type { RequestTarget } from './request-target'

/**
 * Another part of the app (the admin channel, the web UI) can claim paths on the same server.
 * A handler that throws is answered 500 (or its socket destroyed) and logged; work it starts
 * later (a promise, a stream) must catch its own faults.
 */
export interface ServerExtension {
  /** Returns true when it handled the request. Target and Host have already been checked. */
  http?(req: IncomingMessage, res: ServerResponse, target: RequestTarget): boolean
  /** Returns true when it handled the upgrade. Target and Host have been checked; Origin and token are its own. */
  upgrade?(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    target: RequestTarget,
    wss: WebSocketServer,
  ): boolean
  /** The server is stopping: close what it upgraded (open sockets would hold the listener). */
  close?(): void
}
