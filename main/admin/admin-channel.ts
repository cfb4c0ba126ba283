import type { IncomingMessage } from 'node:http'
import type { WebSocket } from 'ws'
import {
  ADMIN_PATH,
  type AdminCall,
  type AdminMessage,
  type WireFrame,
} from '../../common/admin-wire'
import {
  invokeChannels,
  type BridgeOperations,
  type FrameBatch,
  type OperationName,
} from '../../common/contract'
import type { Engine } from '../../common/engine-api'
import type { ServerExtension } from '../core/server/bridge-server'
import { writeRefusal, type Refusal } from '../core/server/refusal'
import { normalizeOrigin, tokensEqual } from '../core/server/upgrade-guard'
import { forwardBridgeEvents } from './bridge-events'
import { createBridgeOperations, type BridgeHost } from './bridge-operations'
import { checkOperationArgs, defaultAppPreferences } from './operation-args'

/** A browser has no desktop preferences and saves files itself (a download). */
const browserHost: BridgeHost = {
  getPreferences: () => defaultAppPreferences(),
  setPreferences: () => defaultAppPreferences(),
  saveText: async () => null,
}

/** Admin sockets with more than this many unsent bytes skip frame batches (the UI shows `dropped`). */
const ADMIN_BUFFER_BYTES = 4 * 1024 * 1024

/** UI windows at once: each subscribes to every engine event and gets every frame batch. */
export const MAX_ADMIN_SOCKETS = 8

/**
 * The contract over a WebSocket at `/admin`, for the UI in a browser against headless mode.
 * It can change every setting, so it takes its own token, separate from the tools' token,
 * and only pages this server served itself (same origin) or tools without an Origin.
 */
export function createAdminChannel(engine: () => Engine, adminToken: string): ServerExtension {
  const sockets = new Set<WebSocket>()
  return {
    upgrade(req, socket, head, url, wss) {
      if (url.pathname !== ADMIN_PATH) return false
      const refusal =
        checkAdmin(req, url, adminToken) ??
        (sockets.size >= MAX_ADMIN_SOCKETS
          ? { status: 503, message: `Too many admin connections (${MAX_ADMIN_SOCKETS})` }
          : null)
      if (refusal) {
        writeRefusal(socket, refusal)
        return true
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.add(ws)
        serve(ws, engine())
        ws.on('close', () => sockets.delete(ws))
      })
      return true
    },
    close() {
      for (const ws of sockets) {
        ws.close(1001, 'server shutting down')
        setTimeout(() => ws.terminate(), 500).unref()
      }
    },
  }
}

function checkAdmin(req: IncomingMessage, url: URL, adminToken: string): Refusal | null {
  const origin = req.headers.origin
  if (origin !== undefined) {
    const host = (req.headers.host ?? '').toLowerCase()
    if (normalizeOrigin(origin) !== `http://${host}`)
      return { status: 403, message: 'Only pages this server served may use the admin channel' }
  }
  const given = url.searchParams.get('adminToken') ?? ''
  return tokensEqual(given, adminToken) ? null : { status: 401, message: 'Wrong admin token' }
}

function serve(ws: WebSocket, engine: Engine): void {
  const operations = createBridgeOperations(engine, browserHost)
  const send = (message: AdminMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
  }
  const stop = forwardBridgeEvents(engine, (event, payload) => {
    if (event !== 'frames') return send({ kind: 'event', event, payload } as AdminMessage)
    const batch = payload as FrameBatch
    if (ws.bufferedAmount > ADMIN_BUFFER_BYTES) return
    const frames: WireFrame[] = batch.frames.map((f) => ({
      ...f,
      data: Buffer.from(f.data).toString('base64'),
    }))
    send({ kind: 'frames', frames, dropped: batch.dropped })
  })
  ws.on('close', stop)
  ws.on('error', () => undefined)
  ws.on('message', (data, isBinary) => {
    void answer(isBinary ? null : String(data), operations).then((reply) => reply && send(reply))
  })
}

async function answer(
  raw: string | null,
  operations: BridgeOperations,
): Promise<AdminMessage | null> {
  let call: Partial<AdminCall>
  try {
    call = JSON.parse(raw ?? '') as Partial<AdminCall>
  } catch {
    return null
  }
  if (typeof call !== 'object' || call === null || typeof call.seq !== 'number') return null
  const seq = call.seq
  const op = call.op as OperationName
  if (typeof op !== 'string' || !Object.hasOwn(invokeChannels, op)) {
    return { kind: 'result', seq, ok: false, error: `unknown operation "${String(call.op)}"` }
  }
  const checked = checkOperationArgs(op, Array.isArray(call.args) ? call.args : [])
  if (!checked.ok) {
    return { kind: 'result', seq, ok: false, error: checked.errors.join('; ') }
  }
  try {
    const fn = operations[op] as (...args: unknown[]) => Promise<unknown>
    return { kind: 'result', seq, ok: true, value: await fn(...(checked.value as unknown[])) }
  } catch (error) {
    return { kind: 'result', seq, ok: false, error: (error as Error).message }
  }
}
