import type { ClientMessage, ServerMessage } from '../../../common/protocol'
import type { CapabilityContext, ClientHandle } from '../capability'
import { releasePort } from './release-port'

export type ReleaseRequest = (
  message: Extract<ClientMessage, { type: 'release' }>,
  client: Pick<ClientHandle, 'id' | 'readOnly'>,
) => Promise<Extract<ServerMessage, { type: 'released' | 'error' }>>

/** `release`, for the control endpoint and the REST API alike. */
export function releaseRequest(ctx: CapabilityContext): ReleaseRequest {
  return async (message, client) => {
    if (client.readOnly)
      return { type: 'error', code: 'FORBIDDEN', message: 'this client is read-only' }
    const controller = ctx.ports.get(message.port)
    if (!controller)
      return { type: 'error', code: 'UNKNOWN_PORT', message: `unknown port: ${message.port}` }
    try {
      const until = await releasePort(controller, message.seconds, ctx.now())
      ctx.log(`port ${controller.id} released by ${client.id} until ${until ?? 'opened'}`)
      return { type: 'released', port: controller.id, until }
    } catch (error) {
      return { type: 'error', code: 'PORT_NOT_OPEN', message: (error as Error).message }
    }
  }
}
