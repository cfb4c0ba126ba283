import type { TransformCallback } from 'node:stream'
import type { FrameEvents } from './frame-events'
import { HeldFrame } from './held-frame'

/** Raw framing: every read the OS hands over is a frame, in pieces of at most `maxFrameBytes`. */
export class ChunkFramer extends HeldFrame {
  constructor(maxFrameBytes: number, events: FrameEvents) {
    super(maxFrameBytes, events)
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.finish(chunk)
    done()
  }
}
