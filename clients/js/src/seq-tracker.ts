/**
 * Follows one port's `seq` numbers across connections, so that a stream never skips frames
 * silently and never yields one twice. The bridge numbers each port's frames 1, 2, 3... and
 * starts again when it restarts (a new `epoch`, when the server announces one).
 */

export interface GapRange {
  from: number
  to: number | null
  restarted: boolean
}

export type FrameVerdict =
  | { accept: true; gap?: GapRange }
  /** Seen already (a replay overlapping what arrived before the cut). */
  | { accept: false }

export class SeqTracker {
  /** The last seq yielded, and the epoch it belongs to. */
  private last: number | undefined
  private lastEpoch: string | undefined
  private epoch: string | undefined

  /** What to ask for on resume: the last seq seen, if it is from `epoch`. */
  resumeFrom(epoch: string): number | undefined {
    return this.lastEpoch === epoch ? this.last : undefined
  }

  /**
   * A connection was made. Without a resume, a changed epoch means the frames after `last`
   * are gone with the old server: that is reported here, since no frame will tell.
   */
  connected(epoch: string | undefined, resuming: boolean): GapRange | null {
    this.epoch = epoch
    if (resuming || this.last === undefined) return null
    if (epoch === undefined || this.lastEpoch === undefined || epoch === this.lastEpoch) return null
    const gap = { from: this.last + 1, to: null, restarted: true }
    this.last = undefined
    return gap
  }

  frame(seq: number): FrameVerdict {
    const last = this.last
    if (last === undefined || seq === last + 1) return this.take(seq)
    if (seq > last + 1) return this.take(seq, { from: last + 1, to: seq - 1, restarted: false })
    // Backwards. With epochs, a number already seen in this epoch is a duplicate. Without
    // them it is the only sign that the numbering started again: the server restarted.
    if (this.epoch !== undefined && this.epoch === this.lastEpoch) return { accept: false }
    return this.take(seq, { from: last + 1, to: null, restarted: true })
  }

  /** The server says frames are gone; returns what this stream did not already see. */
  serverGap(from: number, to: number | null, restarted: boolean): GapRange | null {
    if (restarted) {
      const gap = { from: this.last === undefined ? from : this.last + 1, to, restarted }
      this.last = to ?? undefined
      this.lastEpoch = this.epoch
      return gap
    }
    const start = this.last === undefined ? from : Math.max(from, this.last + 1)
    if (to !== null && start > to) return null
    if (to !== null) this.last = to
    this.lastEpoch = this.epoch
    return { from: start, to, restarted: false }
  }

  private take(seq: number, gap?: GapRange): FrameVerdict {
    this.last = seq
    this.lastEpoch = this.epoch
    return gap ? { accept: true, gap } : { accept: true }
  }
}
