import type { TransformCallback } from 'node:stream'
import type { FrameEvents } from './frame-events'
import { HeldFrame } from './held-frame'

/** A frame ends when no byte has arrived for `idleMs`. */
export class IdleFramer extends HeldFrame {
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly idleMs: number,
    maxFrameBytes: number,
    events: FrameEvents,
  ) {
    super(maxFrameBytes, events)
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.timer) clearTimeout(this.timer)
    this.hold(chunk)
    this.events.arrived(chunk.length)
    this.timer = setTimeout(() => {
      this.timer = null
      this.finish(chunk.subarray(0, 0))
      this.events.ended()
    }, this.idleMs)
    done()
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    if (this.timer) clearTimeout(this.timer)
    done(error)
  }
}
