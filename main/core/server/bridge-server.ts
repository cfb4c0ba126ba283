import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData } from 'ws'
import type { RefusedConnection } from '../../../common/engine-api'
import {
  CloseCode,
  CONTROL_PATH,
  PORT_STREAM_PREFIX,
  PROTOCOL_VERSION,
  type PortInfo,
} from '../../../common/protocol'
import type { ServerSettings } from '../../../common/settings-schema'
import type { Result } from '../../../common/validation'
import { AccessEnforcer } from '../access/access-enforcer'
import { setOperatorReadOnly } from '../access/operator-read-only'
import type { ClientHandle, ControlHandlers, ResumeHandler } from '../capability'
import type { FaultLog } from '../fault-log'
import { messageBudget } from '../rate-limit/message-budgets'
import type { RxFrame } from '../serial/rx-frame'
import type { PortManager } from '../serial/port-manager'
import { admit, type Endpoint } from './admission'
import { Client, startLagChecks } from './client'
import { ClientRegistry } from './client-registry'
import { handleControlMessage } from './control-endpoint'
import { FrameEncodings } from './frame-encoding'
import { startHeartbeat } from './heartbeat'
import { HTTP_TIMEOUTS } from './http-timeouts'
import { PendingConnections } from './pending-connections'
import { writeFromStream } from './port-stream'
import { answerFault, answerRefusal, writeRefusal } from './refusal'
import { replayTarget } from './replay-target'
import { readRequestTarget, type RequestTarget } from './request-target'
import { createTlsServer } from './tls-listener'
import { statusMessage } from './status-message'
import { checkHost, type GuardResult } from './upgrade-guard'
import type { TlsMaterial } from '../tls/server-tls'

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

  /**
   * Shared by every client. A closure made inside onUpgrade would keep that call's request,
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
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => this.onHttp(req, res)
    const http: Server = tls
      ? createTlsServer(tls, onRequest, HTTP_TIMEOUTS)
      : createServer(HTTP_TIMEOUTS, onRequest)
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

  /** Nothing a request carries can throw past here: a fault of ours is a 500, and logged. */
  private onHttp(req: IncomingMessage, res: ServerResponse): void {
    try {
      this.routeHttp(req, res)
    } catch (error) {
      this.deps.logFault(`HTTP ${req.method ?? ''} request`, error)
      answerFault(res)
    }
  }

  private routeHttp(req: IncomingMessage, res: ServerResponse): void {
    const reading = readRequestTarget(req.url)
    if (!reading.ok) return answerRefusal(res, reading)
    const host = checkHost(req.headers.host, this.deps.settings())
    if (!host.ok) return answerRefusal(res, host)
    const { target } = reading
    for (const ext of this.deps.extensions ?? []) if (ext.http?.(req, res, target)) return
    res.writeHead(target.path === '/' ? 200 : 404, { 'content-type': 'text/plain; charset=utf-8' })
    res.end(
      `${this.deps.serverName}: connect with a WebSocket to ${CONTROL_PATH} or ${PORT_STREAM_PREFIX}{id}. ` +
        `See docs/protocol.md.\n`,
    )
  }

  /** Nothing an upgrade carries can throw past here: a fault of ours destroys that one socket. */
  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', destroyOnError)
    try {
      this.routeUpgrade(req, socket, head)
    } catch (error) {
      this.deps.logFault('WebSocket upgrade', error)
      socket.destroy()
    }
  }

  private routeUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const settings = this.deps.settings()
    const reading = readRequestTarget(req.url)
    if (!reading.ok) {
      const reason = reading.status === 400 ? 'bad-request' : 'not-found'
      return this.refuse(req, socket, { ...reading, reason })
    }
    const { target } = reading
    const host = checkHost(req.headers.host, settings)
    if (!host.ok) return this.refuse(req, socket, host, target)
    for (const ext of this.deps.extensions ?? [])
      if (ext.upgrade?.(req, socket, head, target, this.wss)) return
    const admission = admit(req, target, {
      settings,
      hasPort: (id) => this.deps.ports.has(id),
      clientCount: this.registry.size,
      now: this.now(),
      resumes: this.deps.resume !== undefined,
    })
    if (!admission.ok) return this.refuse(req, socket, admission, target)
    const { endpoint, access } = admission
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      // ws handles socket errors from here on; a listener of ours would pin this request.
      socket.off('error', destroyOnError)
      const client = new Client(
        ws,
        {
          id: this.registry.newId(),
          streamPort: endpoint.kind === 'stream' ? endpoint.port : null,
          remoteAddress: req.socket.remoteAddress ?? '',
          origin: req.headers.origin ?? null,
          userAgent: req.headers['user-agent'] ?? null,
          format: endpoint.kind === 'stream' ? endpoint.format : 'json',
          name: access.name,
          tokenDigest: access.tokenDigest,
        },
        this.bufferLimit,
      )
      client.tokenName = access.tokenName
      client.tokenReadOnly = access.tokenReadOnly
      client.ruleReadOnly = access.ruleReadOnly
      this.accept(client, endpoint)
    })
  }

  private accept(client: Client, endpoint: Endpoint): void {
    const portId = endpoint.kind === 'stream' ? endpoint.port : null
    const ws = client.ws
    const resume = endpoint.kind === 'stream' ? endpoint.resume : undefined
    // Held before it is listed, so that no live frame of its port reaches it before the replay.
    if (resume && portId !== null) client.hold(portId)
    this.registry.add(client)
    ws.on('pong', (payload: Buffer) => client.ponged(payload))
    ws.on('error', ignoreError)
    ws.on('close', () => {
      try {
        // What it left queued is never sent: instruments have side effects.
        this.deps.ports.cancelOwner(client)
        this.registry.remove(client)
        this.deps.onClientClosed?.(client.id)
      } catch (error) {
        this.deps.logFault('client close', error)
      }
    })
    ws.on('message', (data: RawData, isBinary: boolean) => {
      // A client being closed has its requests ignored: it may not act after it was let go.
      if (ws.readyState !== ws.OPEN) return
      try {
        this.onMessage(client, portId, data, isBinary)
      } catch (error) {
        this.internalFault(client)(error)
      }
    })
    if (portId === null) {
      client.sendMessage({
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        server: this.deps.serverName,
        clientId: client.id,
        readOnly: client.readOnly,
        ports: this.deps.ports.ports(),
        ...this.deps.hello?.(),
      })
    }
    if (resume && portId !== null) {
      const { since, epoch } = resume
      this.deps.resume!(replayTarget(client), { since: { [portId]: since }, epoch })
    }
  }

  private onMessage(client: Client, portId: string | null, data: RawData, isBinary: boolean): void {
    const bytes = toBuffer(data)
    client.framesIn += 1
    client.bytesIn += bytes.length
    if (portId === null) {
      if (isBinary) {
        return client.sendMessage({
          type: 'error',
          code: 'BAD_MESSAGE',
          message: 'control messages are JSON text frames',
        })
      }
      handleControlMessage(client, bytes.toString('utf8'), {
        ports: this.deps.ports,
        maxQueriesPerClient: () => this.deps.settings().maxQueuedQueriesPerClient,
        changed: () => this.registry.changed(),
        handlers: this.deps.handlers ?? {},
        resume: this.deps.resume,
        budget: this.budget,
        samples: this.deps.sample !== undefined,
      }).catch(this.internalFault(client))
    } else {
      writeFromStream(client, portId, bytes, isBinary, this.deps.ports, this.budget).catch(
        this.internalFault(client),
      )
    }
  }

  /** A bug of ours is answered, not fatal: the client hears INTERNAL, the log gets the stack. */
  private internalFault(client: Client): (error: unknown) => void {
    return (error) => {
      this.deps.logFault('WebSocket message', error)
      client.sendMessage({
        type: 'error',
        code: 'INTERNAL',
        message: `internal error: ${(error as Error).message}`,
      })
    }
  }

  /** `target` is missing when the request target itself was refused. */
  private refuse(
    req: IncomingMessage,
    socket: Duplex,
    refusal: Extract<GuardResult, { ok: false }>,
    target?: RequestTarget,
  ): void {
    writeRefusal(socket, refusal)
    this.deps.onRefused({
      at: new Date().toISOString(),
      remoteAddress: req.socket.remoteAddress ?? '',
      origin: req.headers.origin ?? null,
      host: req.headers.host ?? null,
      endpoint: target?.url.pathname ?? (req.url ?? '').slice(0, 200),
      reason: refusal.reason,
      status: refusal.status,
      message: refusal.message,
    })
  }
}

/** A client's socket errors end in `close`, which is handled; one shared function for all. */
function ignoreError(): void {}

/** Module-level on purpose: a closure made in onUpgrade would keep its request alive. */
function destroyOnError(this: Duplex): void {
  this.destroy()
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}
