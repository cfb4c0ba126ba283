import type { Unsubscribe } from '../../../common/engine-api'
import type { CapabilityFactory } from '../capability'
import { MAX_LAG_MS } from '../server/client'
import { PortRings, ringBounds } from './port-rings'
import { ResumeSessions } from './resume-sessions'

/** Frames one replay sends per turn of the event loop. */
const REPLAY_BATCH = 256
/** How often a replay to a client with a full buffer looks again. */
const REPLAY_RETRY_MS = 20

/**
 * Resume without loss (feature `resume`, docs/protocol.md): each port's recent frames in a
 * bounded ring, replayed to a client that reconnects with `since` and `epoch`.
 */
export const replayCapability: CapabilityFactory = (ctx) => {
  const rings = new PortRings(() => ringBounds(ctx.settings()))
  const sessions = new ResumeSessions(rings, ctx.epoch, {
    batch: REPLAY_BATCH,
    retryMs: REPLAY_RETRY_MS,
    maxStallMs: MAX_LAG_MS,
    now: () => performance.now(),
  })
  let stops: Unsubscribe[] = []
  return {
    name: 'replay',
    features: ['resume'],
    start() {
      // A new epoch: nothing of the last one is replayed.
      rings.clear()
      stops = [
        ctx.bus.on('rx', (frame) => rings.push(frame)),
        ctx.bus.on('removed', (info) => rings.drop(info.id)),
        ctx.bus.on('settings', () => rings.trimAll()),
        ctx.bus.on('clientClosed', ({ id }) => sessions.leave(id)),
      ]
    },
    stop() {
      for (const stop of stops.splice(0)) stop()
      sessions.stopAll()
      rings.clear()
    },
    resume: (client, request) => sessions.resume(client, request),
  }
}
