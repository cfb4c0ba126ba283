import type { FrameBatch, StreamFrame } from '../../../common/contract'
import { ChangeNotifier } from '../shared/change-notifier'
import { FrameRing } from './frame-ring'

/** Frames kept per port for the stream view; older ones are dropped. */
export const FRAMES_PER_PORT = 10_000

/**
 * Holds the byte stream outside React: batches from `bridge.onFrames` land here, and views
 * read it when `version` moved, at most once per animation frame (see use-store-version).
 */
export class FrameStore extends ChangeNotifier {
  private readonly rings = new Map<string, FrameRing<StreamFrame>>()
  /** Frames the host dropped before they reached the UI. */
  droppedByHost = 0

  constructor(readonly capacity = FRAMES_PER_PORT) {
    super()
  }

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
}
