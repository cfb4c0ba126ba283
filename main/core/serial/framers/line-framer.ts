import type { TransformCallback } from 'node:stream'
import type { FrameEvents } from './frame-events'
import { HeldFrame } from './held-frame'

const LF = 0x0a
const CR = 0x0d

/**
 * Lines as instruments end them: at `\n`, `\r\n` or `\r`, the ending stripped. A `\r\n` pair
 * is one ending even when the `\r` ends one read and the `\n` starts the next; the frame is
 * sent at the `\r` already, so a CR-only instrument is not held back waiting for a `\n`.
 * Each byte is looked at once: the search for each ending resumes where it stopped.
 */
export class LineFramer extends HeldFrame {
  private afterCR = false

  constructor(maxFrameBytes: number, events: FrameEvents) {
    super(maxFrameBytes, events)
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let start = 0
    if (this.afterCR && chunk.length > 0) {
      if (chunk[0] === LF) start = 1
      this.afterCR = false
    }
    let ended = false
    // -2: not searched yet; -1: none in the rest of this chunk.
    let nextLF = -2
    let nextCR = -2
    let i = start
    while (i < chunk.length) {
      if (nextLF !== -1 && nextLF < i) nextLF = chunk.indexOf(LF, i)
      if (nextCR !== -1 && nextCR < i) nextCR = chunk.indexOf(CR, i)
      const end = nextLF === -1 ? nextCR : nextCR === -1 ? nextLF : Math.min(nextLF, nextCR)
      if (end === -1) break
      this.finish(chunk.subarray(start, end))
      ended = true
      i = end + 1
      if (chunk[end] === CR) {
        if (i === chunk.length) this.afterCR = true
        else if (chunk[i] === LF) i += 1
      }
      start = i
    }
    if (ended) this.events.ended()
    if (start < chunk.length) {
      this.hold(chunk.subarray(start))
      this.events.arrived(chunk.length - start)
    }
    done()
  }
}
