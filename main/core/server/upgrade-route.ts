import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { WebSocketServer } from 'ws'
import type { RefusedConnection } from '../../../common/engine-api'
import type { ServerSettings } from '../../../common/settings-schema'
import type { FaultLog } from '../fault-log'
import { admit, type Endpoint } from './admission'
import { Client } from './client'
import type { ClientRegistry } from './client-registry'
import { writeRefusal } from './refusal'
import { readRequestTarget, type RequestTarget } from './request-target'
import type { ServerExtension } from './server-extension'
import { checkHost, type GuardResult } from './upgrade-guard'

export interface UpgradeRouteDeps {
  settings: () => ServerSettings
  extensions: readonly ServerExtension[]
  wss: WebSocketServer
  registry: ClientRegistry
  hasPort(id: string): boolean
  /** The server offers `resume` (`?since=` on JSON streams). */
  resumes: boolean
  /** Epoch ms; timed client rules are read against it. */
  now: () => number
  /** Shared by every client (see BridgeServer). */
  bufferLimit: () => number
  onRefused(refusal: RefusedConnection): void
  logFault: FaultLog
  /** An admitted upgrade became this client: wire it up. */
  accept(client: Client, endpoint: Endpoint): void
}

/**
 * The upgrade path: target and Host are checked, the extensions may take it, then admission
 * decides; a refusal is answered on the raw socket and recorded. Nothing an upgrade carries can
 * throw past here: a fault of ours destroys that one socket.
 */
export function upgradeRoute(
  deps: UpgradeRouteDeps,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    socket.on('error', destroyOnError)
    try {
      route(req, socket, head, deps)
    } catch (error) {
      deps.logFault('WebSocket upgrade', error)
      socket.destroy()
    }
  }
}

function route(req: IncomingMessage, socket: Duplex, head: Buffer, deps: UpgradeRouteDeps): void {
  const settings = deps.settings()
  const reading = readRequestTarget(req.url)
  if (!reading.ok) {
    const reason = reading.status === 400 ? 'bad-request' : 'not-found'
    return refuse(req, socket, { ...reading, reason }, deps)
  }
  const { target } = reading
  const host = checkHost(req.headers.host, settings)
  if (!host.ok) return refuse(req, socket, host, deps, target)
  for (const ext of deps.extensions) if (ext.upgrade?.(req, socket, head, target, deps.wss)) return
  const admission = admit(req, target, {
    settings,
    hasPort: deps.hasPort,
    clientCount: deps.registry.size,
    now: deps.now(),
    resumes: deps.resumes,
  })
  if (!admission.ok) return refuse(req, socket, admission, deps, target)
  const { endpoint, access } = admission
  deps.wss.handleUpgrade(req, socket, head, (ws) => {
    // ws handles socket errors from here on; a listener of ours would pin this request.
    socket.off('error', destroyOnError)
    const client = new Client(
      ws,
      {
        id: deps.registry.newId(),
        streamPort: endpoint.kind === 'stream' ? endpoint.port : null,
        remoteAddress: req.socket.remoteAddress ?? '',
        origin: req.headers.origin ?? null,
        userAgent: req.headers['user-agent'] ?? null,
        format: endpoint.kind === 'stream' ? endpoint.format : 'json',
        name: access.name,
        tokenDigest: access.tokenDigest,
      },
      deps.bufferLimit,
    )
    client.tokenName = access.tokenName
    client.tokenReadOnly = access.tokenReadOnly
    client.ruleReadOnly = access.ruleReadOnly
    deps.accept(client, endpoint)
  })
}

/** `target` is missing when the request target itself was refused. */
function refuse(
  req: IncomingMessage,
  socket: Duplex,
  refusal: Extract<GuardResult, { ok: false }>,
  deps: UpgradeRouteDeps,
  target?: RequestTarget,
): void {
  writeRefusal(socket, refusal)
  deps.onRefused({
    at: new Date().toISOString(),
    remoteAddress: req.socket.remoteAddress ?? '',
    origin: req.headers.origin ?? null,
    host: req.headers.host ?? null,
    // Never the query: it may hold ?token=.
    endpoint: target?.url.pathname ?? (req.url ?? '').split('?')[0]!.slice(0, 200),
    reason: refusal.reason,
    status: refusal.status,
    message: refusal.message,
  })
}

/** Module-level on purpose: a closure made per upgrade would keep its request alive. */
function destroyOnError(this: Duplex): void {
  this.destroy()
}
