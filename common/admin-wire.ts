import type { EventName, OperationName } from './contract'

/**
 * The contract carried over a WebSocket, for the UI in a browser against headless mode
 * (`--ui`). Same operations and events as IPC; only the transport differs.
 *
 * Endpoint: `ws://HOST:PORT/admin?adminToken=...`.
 */

export const ADMIN_PATH = '/admin'
export const UI_PATH = '/app/'

/** Browser → host. `seq` pairs the answer with its call. */
export interface AdminCall {
  seq: number
  op: OperationName
  args: unknown[]
}

/** Host → browser. */
export type AdminMessage =
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
