import {
  eventChannels,
  invokeChannels,
  type BridgeApi,
  type BridgeEventPayloads,
  type BridgeOperations,
  type BridgeSubscriptions,
  type EventName,
  type OperationName,
  type Unsubscribe,
} from '../../../common/contract'
import {
  ADMIN_TOKEN_REFUSED,
  type AdminCall,
  type AdminMessage,
  type WireFrame,
} from '../../../common/admin-wire'
import type { StreamFrame } from '../../../common/contract'

/** How the browser's link to headless mode is doing; shown in the status bar. */
export type AdminConnectionState =
  | { state: 'connecting'; attempt: number }
  | { state: 'open' }
  | { state: 'reconnecting'; attempt: number; retryInMs: number; reason: string }
  /** The host refused this page's admin token (or it had none): retrying cannot help. */
  | { state: 'refused'; tokenSent: boolean }
  | { state: 'closed' }

export interface AdminConnection {
  current(): AdminConnectionState
  onChange(listener: (state: AdminConnectionState) => void): Unsubscribe
  /** Connects again now, to another URL (a new admin token); queued calls wait for it. */
  reconnect(url: string): void
  /** Stops reconnecting and closes the socket; pending calls fail. */
  close(): void
}

export type WebBridge = BridgeApi & { readonly connection: AdminConnection }

/** The parts of a WHATWG WebSocket the bridge uses (the browser's, or `ws` in tests). */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  addEventListener(type: 'open', listener: () => void): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void
  addEventListener(type: 'error', listener: () => void): void
}

export interface WebBridgeOptions {
  url: string
  createSocket?: (url: string) => SocketLike
  /** Saves text on the user's machine; the browser default downloads a file. */
  saveText?: (suggestedName: string, text: string) => Promise<string | null>
  backoff?: { firstMs: number; maxMs: number }
}

const OPEN = 1
const READY = JSON.stringify({ kind: 'ready' } satisfies AdminMessage)

/**
 * A call was sent but its answer never came: the connection dropped (e.g. the server restarted
 * to apply that very call). The host may have done it; read the state again to know.
 */
export class ConnectionLostError extends Error {
  constructor(readonly op: OperationName) {
    super(`Lost the connection to Serial Bridge before "${op}" was confirmed.`)
  }
}

interface Pending {
  op: OperationName
  resolve: (value: unknown) => void
  reject: (error: Error) => void
}

/**
 * `BridgeApi` over the admin WebSocket (wire format in common/admin-wire). Calls made while
 * the socket is down wait for it; calls in flight when it drops fail, since the host may or
 * may not have done them. Reconnects with a doubling delay.
 */
export function createWebBridge(options: WebBridgeOptions): WebBridge {
  const createSocket =
    options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike)
  const backoff = options.backoff ?? { firstMs: 500, maxMs: 10_000 }
  const listeners = new Map<EventName, Set<(payload: never) => void>>()
  const stateListeners = new Set<(state: AdminConnectionState) => void>()
  const pending = new Map<number, Pending>()
  const inFlight = new Set<number>()
  let outbox: Array<{ seq: number; text: string }> = []
  let nextSeq = 0
  let socket: SocketLike | null = null
  let attempt = 0
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let closed = false
  /** The current socket was let in (the host sent `ready`). */
  let ready = false
  let url = options.url
  let state: AdminConnectionState = { state: 'connecting', attempt: 1 }

  const setState = (next: AdminConnectionState): void => {
    state = next
    for (const listener of stateListeners) listener(next)
  }

  const emit = <K extends EventName>(event: K, payload: BridgeEventPayloads[K]): void => {
    for (const listener of listeners.get(event) ?? []) {
      ;(listener as (p: BridgeEventPayloads[K]) => void)(payload)
    }
  }

  const settle = (
    seq: number,
    outcome: { ok: true; value: unknown } | { ok: false; error: string },
  ) => {
    const call = pending.get(seq)
    if (!call) return
    pending.delete(seq)
    inFlight.delete(seq)
    if (outcome.ok) call.resolve(outcome.value)
    else call.reject(new Error(outcome.error))
  }

  const onMessage = (data: unknown): void => {
    if (typeof data !== 'string') return
    let message: AdminMessage
    try {
      message = JSON.parse(data) as AdminMessage
    } catch {
      return
    }
    if (message.kind === 'result') settle(message.seq, message)
    else if (message.kind === 'frames')
      emit('frames', { frames: message.frames.map(decodeFrame), dropped: message.dropped })
    else if (message.kind === 'event')
      emit(message.event, message.payload as BridgeEventPayloads[typeof message.event])
  }

  /** The host may or may not have done these: the caller finds out (see ConnectionLostError). */
  const failInFlight = (): void => {
    for (const seq of [...inFlight]) {
      const call = pending.get(seq)
      if (!call) continue
      pending.delete(seq)
      inFlight.delete(seq)
      call.reject(new ConnectionLostError(call.op))
    }
  }

  const connect = (): void => {
    attempt += 1
    setState(
      attempt === 1 || state.state !== 'reconnecting'
        ? { state: 'connecting', attempt }
        : { ...state, retryInMs: 0 },
    )
    const ws = createSocket(url)
    socket = ws
    ready = false
    // A socket opens even for a refused token (only to carry why): the host's `ready` says in.
    ws.addEventListener('message', (event) => {
      if (socket !== ws) return
      if (ready) return onMessage(event.data)
      if (event.data !== READY) return
      ready = true
      attempt = 0
      setState({ state: 'open' })
      const queued = outbox
      outbox = []
      for (const { seq, text } of queued) {
        if (!pending.has(seq)) continue
        ws.send(text)
        inFlight.add(seq)
      }
    })
    ws.addEventListener('error', () => {})
    ws.addEventListener('close', (event) => {
      if (socket !== ws) return
      socket = null
      failInFlight()
      if (closed) return
      if (event.code === ADMIN_TOKEN_REFUSED) {
        setState({ state: 'refused', tokenSent: new URL(url).searchParams.has('adminToken') })
        return
      }
      const retryInMs = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.max(0, attempt - 1))
      const reason =
        event.code === 1006 || !event.reason
          ? 'the admin connection was refused or lost'
          : event.reason
      setState({ state: 'reconnecting', attempt: attempt + 1, retryInMs, reason })
      retryTimer = setTimeout(() => {
        retryTimer = null
        connect()
      }, retryInMs)
    })
  }

  const call = (op: OperationName, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (closed) {
        reject(new Error('The admin connection is closed.'))
        return
      }
      const seq = ++nextSeq
      pending.set(seq, { op, resolve, reject })
      const text = JSON.stringify({ seq, op, args } satisfies AdminCall)
      if (socket && ready && socket.readyState === OPEN) {
        socket.send(text)
        inFlight.add(seq)
      } else outbox.push({ seq, text })
    })

  const operations = Object.fromEntries(
    (Object.keys(invokeChannels) as OperationName[]).map((op) => [
      op,
      (...args: unknown[]) => call(op, args),
    ]),
  ) as unknown as BridgeOperations

  const subscriptions = Object.fromEntries(
    (Object.keys(eventChannels) as EventName[]).map((event) => [
      `on${event[0]!.toUpperCase()}${event.slice(1)}`,
      (listener: (payload: never) => void): Unsubscribe => {
        let set = listeners.get(event)
        if (!set) listeners.set(event, (set = new Set()))
        set.add(listener)
        return () => void set.delete(listener)
      },
    ]),
  ) as unknown as BridgeSubscriptions

  /** Stops any retry and closes the socket without the close handler's reconnect. */
  const dropSocket = (reason: string): void => {
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = null
    const ws = socket
    socket = null
    ws?.close(1000, reason)
  }

  const connection: AdminConnection = {
    current: () => state,
    onChange(listener) {
      stateListeners.add(listener)
      return () => void stateListeners.delete(listener)
    },
    reconnect(next) {
      if (closed) return
      url = next
      dropSocket('reconnecting with a new admin token')
      failInFlight()
      attempt = 0
      connect()
    },
    close() {
      closed = true
      dropSocket('closed by the page')
      for (const seq of [...pending.keys()]) {
        settle(seq, { ok: false, error: 'The admin connection is closed.' })
      }
      outbox = []
      setState({ state: 'closed' })
    },
  }

  connect()
  return {
    ...operations,
    ...subscriptions,
    saveText: options.saveText ?? downloadText,
    kind: 'web',
    connection,
  }
}

function decodeFrame(frame: WireFrame): StreamFrame {
  const binary = atob(frame.data)
  const data = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i)
  const { data: _data, ...rest } = frame
  return { ...rest, data }
}

/** The browser has no save dialog to call: the text is offered as a download. */
export async function downloadText(suggestedName: string, text: string): Promise<string> {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }))
  try {
    const link = document.createElement('a')
    link.href = url
    link.download = suggestedName
    link.style.display = 'none'
    document.body.append(link)
    link.click()
    link.remove()
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }
  return suggestedName
}
