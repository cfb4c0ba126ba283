import { localDay } from './file-names'
import { LineWriter } from './record-format'

/** A slice of the file, ready to append: whole lines, all of one local day. */
export interface Chunk {
  data: Buffer
  frames: number
  /** `localDay` of its records, for daily rotation. */
  day: number
}

/** Event lines are few and explain the file: they may pass the limit by this much. */
const EVENT_SLACK_BYTES = 64 * 1024

/**
 * A recorder's own bounded buffer, between the serial side and its file. Records are
 * formatted into it as they come (no frame is held), in slices of `chunkBytes` that never mix
 * two days. When `limitBytes` wait unwritten, frames are dropped here (clients are not
 * affected) and counted; the next record that fits is preceded by a `gap` line saying how
 * many were lost there.
 */
export class RecordBuffer {
  private readonly sealed: Chunk[] = []
  private sealedBytes = 0
  private readonly out: LineWriter
  private frames = 0
  private dayStart = Number.NaN
  private dayEnd = Number.NaN
  private droppedRun = 0

  constructor(
    private readonly limitBytes: number,
    private readonly chunkBytes: number,
    private readonly gapLine: (dropped: number) => string,
  ) {
    this.out = new LineWriter(chunkBytes + 64 * 1024)
  }

  get bytes(): number {
    return this.sealedBytes + this.out.length
  }

  /**
   * Where to write the next record, stamped `ts`; null when the buffer is full (a frame is then
   * counted as dropped). Call `commit` after writing.
   */
  reserve(ts: number, frame: boolean): LineWriter | null {
    const full = this.bytes >= this.limitBytes
    if (full && (frame || this.bytes >= this.limitBytes + EVENT_SLACK_BYTES)) {
      if (frame) this.droppedRun += 1
      return null
    }
    if (!(ts >= this.dayStart && ts < this.dayEnd)) {
      this.seal()
      ;[this.dayStart, this.dayEnd] = dayBounds(ts)
    }
    if (this.droppedRun > 0) {
      this.out.utf8(this.gapLine(this.droppedRun))
      this.droppedRun = 0
    }
    return this.out
  }

  commit(frame: boolean): void {
    if (frame) this.frames += 1
    if (this.out.length >= this.chunkBytes) this.seal()
  }

  /** The oldest slice waiting, or null when nothing waits. */
  take(): Chunk | null {
    if (this.sealed.length === 0) this.seal()
    const chunk = this.sealed.shift()
    if (!chunk) return null
    this.sealedBytes -= chunk.data.length
    return chunk
  }

  private seal(): void {
    if (this.out.length === 0) return
    const chunk = { data: this.out.take(), frames: this.frames, day: localDay(this.dayStart) }
    this.sealed.push(chunk)
    this.sealedBytes += chunk.data.length
    this.frames = 0
  }
}

/** The local day containing `ts`, as [start, end) in epoch ms. */
function dayBounds(ts: number): [number, number] {
  const d = new Date(ts)
  const start = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()
  const end = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime()
  return [start, end]
}
