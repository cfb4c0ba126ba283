import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer } from 'ws'
import type { RefusedConnection } from '../../../common/engine-api'
import { CloseCode, type PortInfo } from '../../../common/protocol'
import type { ServerSettings } from '../../../common/settings-schema'
import type { Result } from '../../../common/validation'
import { AccessEnforcer } from '../access/access-enforcer'
import { setOperatorReadOnly } from '../access/operator-read-only'
import type { ClientHandle, ControlHandlers, ResumeHandler } from '../capability'
import type { FaultLog } from '../fault-log'
import { messageBudget } from '../rate-limit/message-budgets'
import type { RxFrame } from '../serial/rx-frame'
import type { PortManager } from '../serial/port-manager'
import { acceptClient, type AcceptDeps } from './accept-client'
import type { Client } from './client'
import { ClientRegistry } from './client-registry'
import { FrameEncodings } from './frame-encoding'
import { startHeartbeat } from './heartbeat'
import { HTTP_TIMEOUTS } from './http-timeouts'
import { startLagChecks } from './lag-checks'
import { PendingConnections } from './pending-connections'
import { requestRoute } from './request-route'
import type { ServerExtension } from './server-extension'
import { createTlsServer } from './tls-listener'
import { statusMessage } from './status-message'
import { upgradeRoute } from './upgrade-route'
import type { TlsMaterial } from '../tls/server-tls'

export type { ServerExtension } from './server-extension'

export interface BridgeServerDeps {
  settings: () => ServerSettings
  ports: PortManager
  /** "Serial Bridge 0.1.0" */
  serverName: string
  onRefused(refusal: RefusedConnection): void
  onClientsChanged(): void
  /** Where faults caught at a handler's boundary go. */
  logFault: FaultLog
  /** A client left (after it was removed from the registry). */
  onClientClosed?(id: string): void
  /** What `hello` announces besides the ports: protocol features and the engine's epoch. */
  hello?(): { features: string[]; epoch: string }
  /** Control messages answered by the engine's capabilities. */
  handlers?: ControlHandlers
  /** Answers `since` (feature `resume`), from the capability that offers it. */
  resume?: ResumeHandler
  /** Takes the frames of clients that get a port as `samples` (feature `samples`). */
  sample?: (client: ClientHandle, frame: RxFrame, intervalMs: number) => void
  extensions?: ServerExtension[]
  /** Epoch ms; timed client rules are read against it. */
  now?: () => number
}

/** The HTTP server that carries both WebSocket endpoints of protocol v1. */
export class BridgeServer {
  readonly registry: ClientRegistry
  private http: Server | null = null
  private readonly wss: WebSocketServer
  private stopTimers: (() => void) | null = null
  private address: AddressInfo | null = null
  private readonly access: AccessEnforcer
  private readonly now: () => number
  private secure = false
  private readonly pending: PendingConnections
  private readonly onRequest: (req: IncomingMessage, res: ServerResponse) => void
  private readonly onUpgrade: (req: IncomingMessage, socket: Socket, head: Buffer) => void

  /**
   * Shared by every client. A closure made per upgrade would keep that call's request,
   * URL and head buffer alive for as long as the client is connected (~2.5 KiB each).
   */
  private readonly bufferLimit = (): number => this.deps.settings().clientBufferBytes

  /** Messages that reach a port, per client (`server.maxMessagesPerSecond`). */
  private readonly budget = messageBudget(() => this.deps.settings().maxMessagesPerSecond)

  constructor(private readonly deps: BridgeServerDeps) {
    this.registry = new ClientRegistry(deps.onClientsChanged)
    this.pending = new PendingConnections(deps.settings, deps.onRefused)
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: deps.settings().maxPayloadBytes,
      clientTracking: false,
    })
    this.now = deps.now ?? Date.now
    this.access = new AccessEnforcer({
      clients: () => this.registry.all(),
      settings: deps.settings,
      now: this.now,
      changed: () => this.registry.changed(),
    })
    const extensions = deps.extensions ?? []
    this.onRequest = requestRoute({
      settings: deps.settings,
      extensions,
      serverName: deps.serverName,
      logFault: deps.logFault,
    })
    const accepting: AcceptDeps = {
      ports: deps.ports,
      registry: this.registry,
      serverName: deps.serverName,
      hello: deps.hello,
      resume: deps.resume,
      budget: this.budget,
      logFault: deps.logFault,
      onClientClosed: deps.onClientClosed,
      control: {
        ports: deps.ports,
        maxQueriesPerClient: () => deps.settings().maxQueuedQueriesPerClient,
        changed: () => this.registry.changed(),
        handlers: deps.handlers ?? {},
        resume: deps.resume,
        budget: this.budget,
        samples: deps.sample !== undefined,
      },
    }
    this.onUpgrade = upgradeRoute({
      settings: deps.settings,
      extensions,
      wss: this.wss,
      registry: this.registry,
      hasPort: (id) => deps.ports.has(id),
      resumes: deps.resume !== undefined,
      now: this.now,
      bufferLimit: this.bufferLimit,
      onRefused: deps.onRefused,
      logFault: deps.logFault,
      accept: (client, endpoint) => acceptClient(client, endpoint, accepting),
    })
  }

  /** `ws://127.0.0.1:8765` (`wss://` with TLS), or null while not listening. */
  url(): string | null {
    if (!this.address) return null
    const host = this.address.family === 'IPv6' ? `[${this.address.address}]` : this.address.address
    return `${this.secure ? 'wss' : 'ws'}://${host}:${this.address.port}`
  }

  /** With `tls`, https and wss only (server.tls). */
  async listen(tls?: TlsMaterial | null): Promise<string> {
    const { host, port } = this.deps.settings()
    const http: Server = tls
      ? createTlsServer(tls, this.onRequest, HTTP_TIMEOUTS)
      : createServer(HTTP_TIMEOUTS, this.onRequest)
    this.secure = Boolean(tls)
    // With TLS a connection is counted once its handshake is done (the handshake itself is
    // bounded in time by the TLS listener): the upgrade then carries that same socket.
    http.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => this.pending.admit(socket))
    http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      this.onUpgrade(req, socket, head)
      // Upgraded, here or by an extension: a client now (maxClients), no longer pending.
      if (!socket.writableEnded && !socket.destroyed) this.pending.upgraded(socket)
    })
    await new Promise<void>((resolve, reject) => {
      http.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            error.code === 'EADDRINUSE'
              ? `${host}:${port} is already in use (is Serial Bridge already running?)`
              : `cannot listen on ${host}:${port}: ${error.message}`,
          ),
        ),
      )
      http.listen(port, host, () => resolve())
    })
    // After listening, errors are the OS refusing to accept (EMFILE): logged, never fatal.
    http.on('error', (error) => this.deps.logFault('accepting connections', error))
    this.http = http
    this.address = http.address() as AddressInfo
    const clients = (): Iterable<Client> => this.registry.all()
    const stopHeartbeat = startHeartbeat(clients, this.deps.settings().heartbeatSeconds * 1000)
    const stopLagChecks = startLagChecks(clients)
    this.access.apply()
    this.stopTimers = () => {
      stopHeartbeat()
      stopLagChecks()
      this.access.stop()
    }
    return this.url()!
  }

  /** Closes every client with 1001 and stops listening. */
  async close(): Promise<void> {
    this.stopTimers?.()
    this.stopTimers = null
    for (const client of this.registry.all())
      client.closeAndForget(CloseCode.goingAway, 'server shutting down')
    for (const ext of this.deps.extensions ?? []) ext.close?.()
    const http = this.http
    this.http = null
    this.address = null
    if (!http) return
    await new Promise<void>((resolve) => {
      http.close(() => resolve())
      // Give clients the close frame, then cut what is left (half-open peers never answer).
      setTimeout(() => http.closeAllConnections(), 500).unref()
    })
  }

  /** Sends a frame read from a port to every client that receives it. */
  broadcast(frame: RxFrame): void {
    const encodings = new FrameEncodings(frame)
    for (const client of this.registry.all()) {
      if (!client.takesLive(frame.port)) continue
      const samplesMs = client.samplesMs(frame.port)
      if (samplesMs !== undefined) {
        this.deps.sample?.(client.handle, frame, samplesMs)
        continue
      }
      const { payload, binary } = encodings.payload(client.meta.format)
      client.sendData(frame.port, payload, binary)
    }
  }

  /** Tells subscribers (control clients and JSON port streams) that a port changed state. */
  portStatus(info: PortInfo): void {
    const message = statusMessage(info)
    for (const client of this.registry.all()) {
      if (client.meta.format === 'json' && client.receives(info.id)) client.sendMessage(message)
    }
  }

  /** A port was added or removed: control clients get the new list; its stream clients are closed. */
  portsChanged(removed?: string): void {
    const ports = this.deps.ports.ports()
    for (const client of this.registry.all()) {
      if (client.meta.streamPort === null) client.sendMessage({ type: 'ports', ports })
      else if (removed && client.meta.streamPort === removed) {
        client.closeAndForget(CloseCode.goingAway, 'port removed')
      }
      if (removed) client.unsubscribe(removed)
    }
  }

  kick(id: string): boolean {
    const client = this.registry.get(id)
    if (!client) return false
    client.closeAndForget(CloseCode.policy, 'disconnected by the operator')
    return true
  }

  setReadOnly(id: string, readOnly: boolean): Result {
    const client = this.registry.get(id)
    if (!client) return { ok: false, errors: [`no client with id "${id}"`] }
    const result = setOperatorReadOnly(client, readOnly)
    this.registry.changed()
    return result
  }

  /** The settings changed: tokens and client rules apply to the clients connected now. */
  applyAccess(): void {
    this.access.apply()
  }
}
