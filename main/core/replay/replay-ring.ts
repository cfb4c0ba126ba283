import { RxFrame } from '../serial/rx-frame'

/** How much one port's ring may hold; both bounds apply, the older frames leave first. */
export interface RingBounds {
  frames: number
  bytes: number
}

/** Index into a ring's array at which the dead head is cut off (amortised O(1) eviction). */
const COMPACT_AT = 1024

/**
 * One port's most recent frames in this epoch, oldest first, bounded by count and by bytes.
 * Frames are kept as copies: a frame read from a port is a view on the read buffer, and keeping
 * the view would keep the whole buffer (up to 256 KiB per frame) alive.
 */
export class ReplayRing {
  private frames: Array<RxFrame | undefined> = []
  /** Index of the oldest frame held; those before it are evicted. */
  private head = 0
  private heldBytes = 0
  /** The seq of the last frame the port read in this epoch, held or not; 0 before any. */
  lastSeq = 0
  /** The seq of the first frame the port read in this epoch; null before any. */
  firstSeq: number | null = null

  get size(): number {
    return this.frames.length - this.head
  }

  get bytes(): number {
    return this.heldBytes
  }

  /** The seq of the oldest frame still held; null when it holds none. */
  get oldestSeq(): number | null {
    return this.size > 0 ? this.frames[this.head]!.seq : null
  }

  push(frame: RxFrame, bounds: RingBounds): void {
    this.firstSeq ??= frame.seq
    this.lastSeq = frame.seq
    this.frames.push(copyOf(frame))
    this.heldBytes += frame.bytes.length
    this.trim(bounds)
  }

  /** The frame with this seq, if still held. */
  get(seq: number): RxFrame | undefined {
    const oldest = this.oldestSeq
    if (oldest === null) return undefined
    // Seqs are consecutive within an epoch, so the offset finds it; the check keeps that honest.
    const at = this.frames[this.head + (seq - oldest)]
    return at?.seq === seq ? at : this.search(seq)
  }

  /** The newest frame held. */
  newest(): RxFrame | undefined {
    return this.size > 0 ? this.frames[this.frames.length - 1] : undefined
  }

  /** Forgets everything: a new epoch, or the port was removed. */
  clear(): void {
    this.frames = []
    this.head = 0
    this.heldBytes = 0
    this.lastSeq = 0
    this.firstSeq = null
  }

  /** Applies the bounds (also after they were lowered in the settings). */
  trim({ frames, bytes }: RingBounds): void {
    while (this.size > 0 && (this.size > frames || this.heldBytes > bytes)) {
      this.heldBytes -= this.frames[this.head]!.bytes.length
      this.frames[this.head] = undefined
      this.head += 1
    }
    if (this.head >= COMPACT_AT && this.head * 2 >= this.frames.length) {
      this.frames = this.frames.slice(this.head)
      this.head = 0
    }
  }

  private search(seq: number): RxFrame | undefined {
    let lo = this.head
    let hi = this.frames.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const at = this.frames[mid]!
      if (at.seq === seq) return at
      if (at.seq < seq) lo = mid + 1
      else hi = mid - 1
    }
    return undefined
  }
}

function copyOf(frame: RxFrame): RxFrame {
  const copy = new RxFrame(frame.port, Buffer.from(frame.bytes), frame.ts, frame.seq, {
    text: frame.ascii ? null : frame.text,
    valid: frame.valid,
  })
  if (frame.poll !== undefined) copy.poll = frame.poll
  if (frame.values !== undefined) copy.values = frame.values
  if (frame.units !== undefined) copy.units = frame.units
  return copy
}
