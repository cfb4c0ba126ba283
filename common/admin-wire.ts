import type { EventName, OperationName } from './contract'

/**
 * The contract carried over a WebSocket, for the UI in a browser against headless mode
 * (`--ui`). Same operations and events as IPC; only the transport differs.
 *
 * Endpoint: `ws://HOST:PORT/admin?adminToken=...`.
 */

export const ADMIN_PATH = '/admin'

/**
 * Close code of an admin socket whose token is missing or not this server's. A browser sees
 * no HTTP status of a refused upgrade (only 1006), so the channel accepts and closes with this
 * code: the page can then say that its link is no longer valid instead of retrying forever.
 */
export const ADMIN_TOKEN_REFUSED = 4401
export const UI_PATH = '/app/'
/** `GET /admin/download/{ticket}`: a recording, by a ticket `downloadRecording` handed out. */
export const ADMIN_DOWNLOAD_PREFIX = '/admin/download/'

/** Browser → host. `seq` pairs the answer with its call. */
export interface AdminCall {
  seq: number
  op: OperationName
  args: unknown[]
}

/** Host → browser. `ready` comes first, once the token was accepted. */
export type AdminMessage =
  | { kind: 'ready' }
  | { kind: 'result'; seq: number; ok: true; value: unknown }
  | { kind: 'result'; seq: number; ok: false; error: string }
  | { kind: 'event'; event: Exclude<EventName, 'frames'>; payload: unknown }
  /** Frame batches carry bytes as base64 so they fit in JSON. */
  | { kind: 'frames'; frames: WireFrame[]; dropped: number }

export interface WireFrame {
  port: string
  direction: 'rx' | 'tx'
  ts: number
  data: string
  poll?: string
  values?: Record<string, number>
  units?: Record<string, string>
}
