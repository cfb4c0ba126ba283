import type { RawData } from 'ws'
import { PROTOCOL_VERSION } from '../../../common/protocol'
import type { ResumeHandler } from '../capability'
import type { FaultLog } from '../fault-log'
import type { MessageBudget } from '../rate-limit/message-budgets'
import type { PortManager } from '../serial/port-manager'
import type { Endpoint } from './admission'
import type { Client } from './client'
import type { ClientRegistry } from './client-registry'
import { handleControlMessage, type ControlContext } from './control-endpoint'
import { writeFromStream } from './port-stream'
import { replayTarget } from './replay-target'

export interface AcceptDeps {
  ports: PortManager
  registry: ClientRegistry
  /** "Serial Bridge 0.1.0" */
  serverName: string
  /** What `hello` announces besides the ports: protocol features and the engine's epoch. */
  hello?(): { features: string[]; epoch: string }
  /** What the control endpoint answers with; made once per server. */
  control: ControlContext
  /** Answers a JSON port stream's `?since=` (feature `resume`). */
  resume?: ResumeHandler
  /** Messages that reach a port, per client (`server.maxMessagesPerSecond`). */
  budget: MessageBudget
  logFault: FaultLog
  /** A client left (after it was removed from the registry). */
  onClientClosed?(id: string): void
}

/**
 * Wires an admitted client: it is listed, its messages go to the control endpoint or to its
 * port, and when it leaves what it left queued is dropped. A control client gets `hello`; a
 * resuming stream gets its replay before any live frame.
 */
export function acceptClient(client: Client, endpoint: Endpoint, deps: AcceptDeps): void {
  const portId = endpoint.kind === 'stream' ? endpoint.port : null
  const ws = client.ws
  const resume = endpoint.kind === 'stream' ? endpoint.resume : undefined
  // Held before it is listed, so that no live frame of its port reaches it before the replay.
  if (resume && portId !== null) client.hold(portId)
  deps.registry.add(client)
  ws.on('pong', (payload: Buffer) => client.ponged(payload))
  ws.on('error', ignoreError)
  ws.on('close', () => {
    try {
      // What it left queued is never sent: instruments have side effects.
      deps.ports.cancelOwner(client)
      deps.registry.remove(client)
      deps.onClientClosed?.(client.id)
    } catch (error) {
      deps.logFault('client close', error)
    }
  })
  ws.on('message', (data: RawData, isBinary: boolean) => {
    // A client being closed has its requests ignored: it may not act after it was let go.
    if (ws.readyState !== ws.OPEN) return
    try {
      onMessage(client, portId, data, isBinary, deps)
    } catch (error) {
      internalFault(client, deps.logFault)(error)
    }
  })
  if (portId === null) {
    client.sendMessage({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      server: deps.serverName,
      clientId: client.id,
      readOnly: client.readOnly,
      ports: deps.ports.ports(),
      ...deps.hello?.(),
    })
  }
  if (resume && portId !== null) {
    const { since, epoch } = resume
    deps.resume!(replayTarget(client), { since: { [portId]: since }, epoch })
  }
}

function onMessage(
  client: Client,
  portId: string | null,
  data: RawData,
  isBinary: boolean,
  deps: AcceptDeps,
): void {
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
    handleControlMessage(client, bytes.toString('utf8'), deps.control).catch(
      internalFault(client, deps.logFault),
    )
  } else {
    writeFromStream(client, portId, bytes, isBinary, deps.ports, deps.budget).catch(
      internalFault(client, deps.logFault),
    )
  }
}

/** A bug of ours is answered, not fatal: the client hears INTERNAL, the log gets the stack. */
function internalFault(client: Client, logFault: FaultLog): (error: unknown) => void {
  return (error) => {
    logFault('WebSocket message', error)
    client.sendMessage({
      type: 'error',
      code: 'INTERNAL',
      message: `internal error: ${(error as Error).message}`,
    })
  }
}

/** A client's socket errors end in `close`, which is handled; one shared function for all. */
function ignoreError(): void {}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}
