import type { CapabilityFactory } from '../capability'
import { releaseRequest } from './release-request'
import { releaseRoutes } from './release-routes'

/**
 * Feature `release`: a client closes a port for a while so that another program (a vendor
 * tool, a firmware uploader) can use the device; other clients stay connected and are told.
 */
export const releaseCapability: CapabilityFactory = (ctx) => {
  const release = releaseRequest(ctx)
  return {
    name: 'release',
    features: ['release'],
    handlers: { release },
    routes: releaseRoutes(release),
  }
}
