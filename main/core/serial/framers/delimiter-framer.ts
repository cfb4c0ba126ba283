import type { TransformCallback } from 'node:stream'
import type { FrameEvents } from './frame-events'
import { HeldFrame } from './held-frame'

/**
 * Frames that end at an exact byte sequence, removed. Only new bytes are searched: a delimiter
 * that starts in an earlier read is found by looking at the few held bytes before this one.
 */
export class DelimiterFramer extends HeldFrame {
  constructor(
    private readonly delimiter: Buffer,
    maxFrameBytes: number,
    events: FrameEvents,
  ) {
    super(maxFrameBytes, events)
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const d = this.delimiter.length
    let start = 0
    let ended = false
    if (d > 1 && this.held > 0) {
      const tail = this.heldTail(d - 1)
      const pos = Buffer.concat([tail, chunk.subarray(0, d - 1)]).indexOf(this.delimiter)
      if (pos !== -1 && pos < tail.length) {
        this.dropHeldTail(tail.length - pos)
        this.finish(chunk.subarray(0, 0))
        ended = true
        start = pos + d - tail.length
      }
    }
    for (let pos = chunk.indexOf(this.delimiter, start); pos !== -1;) {
      this.finish(chunk.subarray(start, pos))
      ended = true
      start = pos + d
      pos = chunk.indexOf(this.delimiter, start)
    }
    if (ended) this.events.ended()
    if (start < chunk.length) {
      this.hold(chunk.subarray(start))
      this.events.arrived(chunk.length - start)
    }
    done()
  }
}
