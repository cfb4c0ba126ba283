import type { IPublishPacket } from 'mqtt'
import {
  MAX_QUERY_TIMEOUT_MS,
  type ErrorCode,
  type ServerMessage,
  type WriteEncoding,
} from '../../../common/protocol'
import { encodeWrite } from '../protocol/write-payload'
import type { PortManager } from '../serial/port-manager'
import { frameData } from '../server/frame-encoding'
import { errorCodeOf } from '../server/request-errors'
import type { CommandKind } from './topic-tree'

/** Commands from the broker running at once; more are answered BUSY (nothing is written). */
export const MAX_PENDING_COMMANDS = 64
const DEFAULT_TIMEOUT_MS = 1000
const ENCODINGS: readonly WriteEncoding[] = ['utf8', 'hex', 'base64']

export interface CommandDeps {
  ports: PortManager
  /** Largest command payload, the WebSocket clients' limit (`server.maxPayloadBytes`). */
  maxPayloadBytes(): number
  /** Publishes an answer to the asker's response topic, with its correlation data. */
  respond(topic: string, payload: Buffer, correlationData: Buffer | undefined): void
  /** Why the operator's client rules refuse commands now (command-access.ts), if they do. */
  refusal(): string | undefined
}

/** The WebSocket protocol's answers; BUSY is the code docs/protocol.md gives a full queue. */
type Answer =
  | Extract<ServerMessage, { type: 'ack' | 'reply' }>
  | { type: 'error'; code: ErrorCode | 'BUSY'; message: string }

/**
 * `ports/{id}/write` and `ports/{id}/query` from the broker. They go through the port's own
 * write and query queue, like a WebSocket client's; the answer (MQTT 5 request/response) goes
 * to the response topic the asker named, so it reaches that asker only.
 */
export class CommandHandler {
  handled = 0
  /** Refused by a client rule (read-only or block): answered FORBIDDEN, nothing written. */
  forbidden = 0
  private pending = 0

  constructor(private readonly deps: CommandDeps) {}

  async handle(
    port: string,
    kind: CommandKind,
    payload: Buffer,
    packet: IPublishPacket,
  ): Promise<void> {
    this.handled += 1
    const properties = packet.properties ?? {}
    const responseTopic = properties.responseTopic
    const answer = await this.run(port, kind, payload, userProperty(properties.userProperties))
    if (!responseTopic) return
    this.deps.respond(
      responseTopic,
      Buffer.from(JSON.stringify(answer)),
      properties.correlationData,
    )
  }

  private async run(
    portId: string,
    kind: CommandKind,
    payload: Buffer,
    user: (key: string) => string | undefined,
  ): Promise<Answer> {
    const fail = (code: ErrorCode | 'BUSY', message: string): Answer => ({
      type: 'error',
      code,
      message,
    })
    const refusal = this.deps.refusal()
    if (refusal) {
      this.forbidden += 1
      return fail('FORBIDDEN', refusal)
    }
    const port = this.deps.ports.get(portId)
    if (!port) return fail('UNKNOWN_PORT', `unknown port: ${portId}`)
    if (payload.length > this.deps.maxPayloadBytes()) {
      return fail('TOO_LARGE', `the command is larger than ${this.deps.maxPayloadBytes()} bytes`)
    }
    const encoding = (user('encoding') ?? 'utf8') as WriteEncoding
    if (!ENCODINGS.includes(encoding)) return fail('BAD_MESSAGE', 'encoding is utf8, hex or base64')
    const timeoutText = user('timeoutMs')
    const timeoutMs = timeoutText === undefined ? DEFAULT_TIMEOUT_MS : Number(timeoutText)
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_QUERY_TIMEOUT_MS) {
      const range = `1 to ${MAX_QUERY_TIMEOUT_MS}`
      return fail('BAD_MESSAGE', `timeoutMs is a whole number of milliseconds, ${range}`)
    }
    const encoded = encodeWrite(payload.toString('utf8'), encoding, port.settings)
    if (!encoded.ok) return fail('BAD_MESSAGE', encoded.errors.join('; '))
    if (this.pending >= MAX_PENDING_COMMANDS) {
      return fail('BUSY', `${MAX_PENDING_COMMANDS} commands from the broker are already waiting`)
    }
    this.pending += 1
    try {
      if (kind === 'write') return { type: 'ack', bytes: await port.write(encoded.value) }
      const [frame] = await port.query(encoded.value, timeoutMs)
      return { type: 'reply', port: port.id, ...frameData(frame!) }
    } catch (error) {
      return fail(errorCodeOf(error) ?? 'PORT_NOT_OPEN', (error as Error).message)
    } finally {
      this.pending -= 1
    }
  }
}

/** MQTT 5 user properties: a key given twice arrives as an array; the first one counts. */
function userProperty(
  properties: Record<string, string | string[]> | undefined,
): (key: string) => string | undefined {
  return (key) => {
    const value = properties?.[key]
    return Array.isArray(value) ? value[0] : value
  }
}
