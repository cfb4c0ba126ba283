import {
  portDetailSchema,
  portsAnswerSchema,
  queryAnswerSchema,
  queryRequestSchema,
  writeAnswerSchema,
  writeRequestSchema,
  type PortDetail,
  type RestFrame,
} from '../../../common/rest/rest-schemas'
import { replyRule } from '../protocol/reply-rule'
import { encodeWrite } from '../protocol/write-payload'
import type { PortController } from '../serial/port-controller'
import type { PortManager } from '../serial/port-manager'
import type { RxFrame } from '../serial/rx-frame'
import { dataMessage, frameData, replyData } from '../server/frame-encoding'
import { errorCodeOf } from '../server/request-errors'
import { RestError, restRoute, type RestRoute } from './rest-route'

export interface PortRoutesDeps {
  ports: PortManager
  /** The last frame the port read in this run. */
  lastFrame(port: string): RxFrame | undefined
}

/** The engine's own routes: the ports, their last frame, writes and queries. */
export function portRoutes({ ports, lastFrame }: PortRoutesDeps): RestRoute[] {
  const portOf = (id: string): PortController => {
    const port = ports.get(id)
    if (!port) throw new RestError('UNKNOWN_PORT', `unknown port: ${id}`)
    return port
  }
  /** Encodes the body for its port, then runs `act`; the port's failures become answers. */
  const onPort = async <T>(
    id: string,
    { data, encoding }: { data: string; encoding: 'utf8' | 'hex' | 'base64' },
    act: (port: PortController, bytes: Buffer) => Promise<T>,
  ): Promise<T> => {
    const port = portOf(id)
    const encoded = encodeWrite(data, encoding, port.settings)
    if (!encoded.ok) throw new RestError('BAD_MESSAGE', encoded.errors.join('; '))
    try {
      return await act(port, encoded.value)
    } catch (error) {
      throw new RestError(errorCodeOf(error) ?? 'PORT_NOT_OPEN', (error as Error).message)
    }
  }
  return [
    restRoute({
      method: 'GET',
      id: 'listPorts',
      path: '/ports',
      summary: 'Every configured port, with its state and counters',
      acts: false,
      answer: portsAnswerSchema,
      errors: [],
      handle: () => ({ ports: ports.ports() }),
    }),
    restRoute({
      method: 'GET',
      id: 'getPort',
      path: '/ports/{id}',
      summary: 'One port, with the last frame it read and its values',
      acts: false,
      answer: portDetailSchema,
      errors: ['UNKNOWN_PORT'],
      handle: ({ params }): PortDetail => {
        const port = portOf(params.id!)
        const last = lastFrame(port.id)
        return { ...ports.info(port), lastFrame: last ? restFrame(last) : null }
      },
    }),
    restRoute({
      method: 'POST',
      id: 'writePort',
      path: '/ports/{id}/write',
      summary: 'Writes to the port: a text body with its line ending, or JSON {data, encoding}',
      acts: true,
      body: { schema: writeRequestSchema, text: 'written as text, with the write terminator' },
      answer: writeAnswerSchema,
      errors: ['UNKNOWN_PORT', 'BAD_MESSAGE', 'PORT_NOT_OPEN', 'TIMEOUT', 'BUSY'],
      handle: ({ params, body, owner }) =>
        onPort(params.id!, body, async (port, bytes) => ({
          bytes: await port.write(bytes, owner),
        })),
    }),
    restRoute({
      method: 'POST',
      id: 'queryPort',
      path: '/ports/{id}/query',
      summary: 'Writes a command and answers with the next frame the port reads',
      acts: true,
      body: { schema: queryRequestSchema, text: 'the command, as text (timeoutMs 1000)' },
      answer: queryAnswerSchema,
      errors: ['UNKNOWN_PORT', 'BAD_MESSAGE', 'PORT_NOT_OPEN', 'TIMEOUT', 'BUSY'],
      handle: ({ params, body, owner }) => {
        const rule = replyRule(body)
        if (!rule.ok) throw new RestError('BAD_MESSAGE', rule.errors.join('; '))
        return onPort(params.id!, body, async (port, bytes) => {
          const started = performance.now()
          const frames = await port.query(bytes, body.timeoutMs, owner, rule.value)
          const ms = Math.round((performance.now() - started) * 10) / 10
          const reply = body.expectLines === undefined ? frameData(frames[0]!) : replyData(frames)
          return { ...reply, ms }
        })
      },
    }),
  ]
}

function restFrame(frame: RxFrame): RestFrame {
  const { type: _type, port: _port, ...rest } = dataMessage(frame)
  return rest
}
