import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { WebSocket } from 'ws'
import {
  ADMIN_PATH,
  ADMIN_TOKEN_REFUSED,
  type AdminCall,
  type AdminMessage,
  type WireFrame,
} from '../../common/admin-wire'
import {
  invokeChannels,
  type BridgeOperations,
  type FrameBatch,
  type Notice,
  type OperationName,
} from '../../common/contract'
import type { Engine, Unsubscribe } from '../../common/engine-api'
import type { FaultLog } from '../core/fault-log'
import { parseStrictJson } from '../core/protocol/strict-json'
import type { ServerExtension } from '../core/server/bridge-server'
import { writeRefusal } from '../core/server/refusal'
import { normalizeOrigin, tokensEqual } from '../core/server/upgrade-guard'
import { forwardBridgeEvents } from './bridge-events'
import { createBridgeOperations, type BridgeHost } from './bridge-operations'
import { createDownloadTickets } from './download-tickets'
import { checkOperationArgs, defaultAppPreferences } from './operation-args'

/** A browser has no desktop preferences and saves files itself (a download). */
function browserHost(downloads: ReturnType<typeof createDownloadTickets>): BridgeHost {
  return {
    getPreferences: () => defaultAppPreferences(),
    setPreferences: () => defaultAppPreferences(),
    saveText: async () => null,
    openFolder: async (path) => ({
      ok: false,
      errors: [
        `a browser cannot open folders: the recordings are in ${path} on the computer running Serial Bridge`,
      ],
    }),
    downloadUrl: async (path, name) => downloads.issue(path, name),
  }
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
export interface AdminChannelHost {
  /** Where a fault of ours in the channel is reported (it never reaches the process). */
  logFault: FaultLog
  /** Messages from the host itself (e.g. the settings file was reloaded), shown as banners. */
  onNotice?: (listener: (notice: Notice) => void) => Unsubscribe
}

export function createAdminChannel(
  engine: () => Engine,
  adminToken: string,
  host: AdminChannelHost,
): ServerExtension {
  const sockets = new Set<WebSocket>()
  const downloads = createDownloadTickets()
  const bridgeHost = browserHost(downloads)
  return {
    http: (req, res, target) => downloads.serve(req, res, target.path),
    upgrade(req, socket, head, { path, url }, wss) {
      if (path !== ADMIN_PATH) return false
      if (!sameOrigin(req)) {
        writeRefusal(socket, {
          status: 403,
          message: 'Only pages this server served may use the admin channel',
        })
        return true
      }
      if (sockets.size >= MAX_ADMIN_SOCKETS) {
        writeRefusal(socket, {
          status: 503,
          message: `Too many admin connections (${MAX_ADMIN_SOCKETS})`,
        })
        return true
      }
      const given = url.searchParams.get('adminToken')
      if (!given || !tokensEqual(given, adminToken)) {
        // Nothing is served on this socket: it only carries the reason to the page.
        wss.handleUpgrade(req, socket, head, (ws) => {
          // Counted against the cap until it is gone: a flood of wrong tokens holds no more.
          sockets.add(ws)
          ws.on('close', () => sockets.delete(ws))
          ws.on('error', () => undefined)
          ws.close(ADMIN_TOKEN_REFUSED, given ? 'admin token refused' : 'no admin token')
          setTimeout(() => ws.terminate(), 1000).unref()
        })
        return true
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.add(ws)
        serve(ws, engine(), host, bridgeHost)
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

/** Only pages this server served itself, or tools that send no Origin. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  const host = (req.headers.host ?? '').toLowerCase()
  // With server.tls the page came over https: its origin says so.
  const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http'
  return normalizeOrigin(origin) === `${scheme}://${host}`
}

function serve(
  ws: WebSocket,
  engine: Engine,
  host: AdminChannelHost,
  bridgeHost: BridgeHost,
): void {
  const { logFault } = host
  const operations = createBridgeOperations(engine, bridgeHost)
  // Called from engine events too: a fault here must not travel back into the port that emitted.
  const send = (message: AdminMessage): void => {
    try {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
    } catch (error) {
      logFault('admin channel send', error)
    }
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
  const stopNotices = host.onNotice?.((notice) =>
    send({ kind: 'event', event: 'notice', payload: notice }),
  )
  ws.on('close', () => {
    stop()
    stopNotices?.()
  })
  ws.on('error', () => undefined)
  send({ kind: 'ready' })
  ws.on('message', (data, isBinary) => {
    answer(isBinary ? null : String(data), operations).then(
      (reply) => reply && send(reply),
      (error: unknown) => logFault('admin channel message', error),
    )
  })
}

async function answer(
  raw: string | null,
  operations: BridgeOperations,
): Promise<AdminMessage | null> {
  // Without a readable `seq` there is nothing to answer to; the UI never sends such a call.
  const read = parseStrictJson(raw ?? '')
  if (!read.ok) return null
  const call = read.value as Partial<AdminCall>
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
