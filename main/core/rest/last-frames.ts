import type { Unsubscribe } from '../../../common/engine-api'
import type { EngineBus } from '../capability'
import type { RxFrame } from '../serial/rx-frame'

/**
 * The last frame each port read (GET /api/v1/ports/{id}); a removed port's is forgotten. The
 * frame itself, not a copy: one per port, so the read buffer it keeps alive is bounded too.
 */
export function followLastFrames(bus: EngineBus): {
  get(port: string): RxFrame | undefined
  stop: Unsubscribe
} {
  const last = new Map<string, RxFrame>()
  const stops = [
    bus.on('rx', (frame) => void last.set(frame.port, frame)),
    bus.on('removed', (info) => void last.delete(info.id)),
  ]
  return {
    get: (port) => last.get(port),
    stop: () => {
      for (const stop of stops) stop()
      last.clear()
    },
  }
}
