import type { CapabilityFactory } from '../capability'
import { releasePort } from './release-port'

/**
 * Feature `release`: a client closes a port for a while so that another program (a vendor
 * tool, a firmware uploader) can use the device; other clients stay connected and are told.
 */
export const releaseCapability: CapabilityFactory = (ctx) => ({
  name: 'release',
  features: ['release'],
  handlers: {
    async release(message, client) {
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
    },
  },
})
