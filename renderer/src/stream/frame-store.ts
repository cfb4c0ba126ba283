import type { FrameBatch, StreamFrame, Unsubscribe } from '../../../common/contract'
import { FrameRing } from './frame-ring'

/** Frames kept per port for the stream view; older ones are dropped. */
export const FRAMES_PER_PORT = 10_000

/**
 * Holds the byte stream outside React: batches from `bridge.onFrames` land here, and views
 * read it when `version` moved, at most once per animation frame (see use-store-version).
 */
export class FrameStore {
  private readonly rings = new Map<string, FrameRing<StreamFrame>>()
  private readonly listeners = new Set<() => void>()
  /** Bumped on every change, so a view can tell whether to re-read. */
  version = 0
  /** Frames the host dropped before they reached the UI. */
  droppedByHost = 0

  constructor(readonly capacity = FRAMES_PER_PORT) {}

  add(batch: FrameBatch): void {
    for (const frame of batch.frames) this.ring(frame.port).push(frame)
    this.droppedByHost += batch.dropped
    this.changed()
  }

  ring(port: string): FrameRing<StreamFrame> {
    let ring = this.rings.get(port)
    if (!ring) this.rings.set(port, (ring = new FrameRing(this.capacity)))
    return ring
  }

  clear(port: string): void {
    this.rings.get(port)?.clear()
    this.changed()
  }

  subscribe(listener: () => void): Unsubscribe {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  private changed(): void {
    this.version += 1
    for (const listener of this.listeners) listener()
  }
}
