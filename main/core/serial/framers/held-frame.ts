import { Transform, type TransformCallback } from 'node:stream'
import type { FrameEvents } from './frame-events'

/**
 * The shape every bounded framer shares: the bytes of the frame not yet ended are kept as the
 * pieces they arrived in (never copied or scanned again), and a frame that grows past
 * `maxFrameBytes` is cut there, so a missing ending costs at most that much memory.
 */
export abstract class HeldFrame extends Transform {
  private readonly parts: Buffer[] = []
  private heldBytes = 0

  constructor(
    private readonly maxFrameBytes: number,
    protected readonly events: FrameEvents,
  ) {
    super()
  }

  protected get held(): number {
    return this.heldBytes
  }

  /** Adds bytes to the open frame, cutting it each time it would pass the limit. */
  protected hold(bytes: Buffer): void {
    let rest = bytes
    while (this.heldBytes + rest.length > this.maxFrameBytes) {
      const room = this.maxFrameBytes - this.heldBytes
      this.parts.push(rest.subarray(0, room))
      this.heldBytes += room
      rest = rest.subarray(room)
      this.emitHeld()
      this.events.cut()
    }
    if (rest.length === 0) return
    this.parts.push(rest)
    this.heldBytes += rest.length
  }

  /** Ends the open frame with its last piece; an empty frame is no frame. */
  protected finish(last: Buffer): void {
    // Most frames are one piece of one read: sent as they are.
    if (this.heldBytes === 0 && last.length <= this.maxFrameBytes) {
      if (last.length > 0) this.push(last)
      return
    }
    this.hold(last)
    this.emitHeld()
  }

  /** Drops the last `count` held bytes (the start of a delimiter that began in an earlier chunk). */
  protected dropHeldTail(count: number): void {
    let left = count
    while (left > 0) {
      const last = this.parts.pop()!
      if (last.length > left) {
        this.parts.push(last.subarray(0, last.length - left))
        this.heldBytes -= left
        return
      }
      this.heldBytes -= last.length
      left -= last.length
    }
  }

  /** The last `count` held bytes (fewer when fewer are held), as one buffer. */
  protected heldTail(count: number): Buffer {
    const tail: Buffer[] = []
    let need = Math.min(count, this.heldBytes)
    for (let i = this.parts.length - 1; need > 0; i--) {
      const part = this.parts[i]!
      const take = Math.min(need, part.length)
      tail.unshift(part.subarray(part.length - take))
      need -= take
    }
    return Buffer.concat(tail)
  }

  private emitHeld(): void {
    const bytes = this.heldBytes
    if (bytes === 0) return
    const frame = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, bytes)
    this.parts.length = 0
    this.heldBytes = 0
    this.push(frame)
  }

  override _flush(done: TransformCallback): void {
    this.emitHeld()
    done()
  }
}
