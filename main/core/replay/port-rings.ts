import type { Settings } from '../../../common/settings-schema'
import type { RxFrame } from '../serial/rx-frame'
import { ReplayRing, type RingBounds } from './replay-ring'

/** The bounds every port's ring has now (`server.replayFrames`, `server.replayBytes`). */
export function ringBounds(settings: Settings): RingBounds {
  return { frames: settings.server.replayFrames, bytes: settings.server.replayBytes }
}

/** One replay ring per port, made on the port's first frame (or first resume). */
export class PortRings {
  private readonly rings = new Map<string, ReplayRing>()

  constructor(private readonly bounds: () => RingBounds) {}

  push(frame: RxFrame): void {
    this.ring(frame.port).push(frame, this.bounds())
  }

  ring(port: string): ReplayRing {
    let ring = this.rings.get(port)
    if (!ring) {
      ring = new ReplayRing()
      this.rings.set(port, ring)
    }
    return ring
  }

  /** The port was removed: a port added later under its id starts a numbering of its own. */
  drop(port: string): void {
    this.rings.get(port)?.clear()
    this.rings.delete(port)
  }

  /** The bounds were lowered: frames beyond them leave now, not at the next frame. */
  trimAll(): void {
    const bounds = this.bounds()
    for (const ring of this.rings.values()) ring.trim(bounds)
  }

  clear(): void {
    for (const ring of this.rings.values()) ring.clear()
    this.rings.clear()
  }
}
