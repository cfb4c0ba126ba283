import type { RxFrame } from '../serial/rx-frame'

/** What waits to be written: frames as they came (formatted later, off the serial path) and lines. */
export type Entry =
  | { kind: 'rx'; frame: RxFrame }
  | { kind: 'tx'; bytes: Buffer; ts: number; seq: number }
  | { kind: 'line'; ts: number; text: string }

/** Per entry beyond its data: what its JSON line adds, roughly. */
const OVERHEAD = 96

export interface BufferLimits {
  bytes: number
  entries: number
}

/**
 * A recorder's own bounded queue, between the serial side and its file. When full, frames are
 * dropped here (the clients are not affected) and the run of drops is counted; the next entry
 * that fits is preceded by a `gap` line saying how many were lost there.
 */
export class RecordBuffer {
  private items: Entry[] = []
  private head = 0
  private size = 0
  /** Frames dropped since the last entry that fitted. */
  private droppedRun = 0

  constructor(
    private readonly limits: BufferLimits,
    private readonly gapLine: (dropped: number) => Entry,
  ) {}

  get bytes(): number {
    return this.size
  }

  get length(): number {
    return this.items.length - this.head
  }

  /** False when the entry was dropped (the buffer is full). */
  push(entry: Entry): boolean {
    const cost = entryCost(entry)
    if (this.size + cost > this.limits.bytes || this.length >= this.limits.entries) {
      if (entry.kind !== 'line') {
        this.droppedRun += 1
        return false
      }
      // Event lines are few and explain the file: they may pass the limit a little.
      if (this.length >= this.limits.entries + 1000) return false
    }
    if (this.droppedRun > 0) {
      this.append(this.gapLine(this.droppedRun))
      this.droppedRun = 0
    }
    this.append(entry)
    return true
  }

  peek(): Entry | undefined {
    return this.items[this.head]
  }

  shift(): Entry | undefined {
    const entry = this.items[this.head]
    if (!entry) return undefined
    this.items[this.head++] = undefined as unknown as Entry
    this.size -= entryCost(entry)
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return entry
  }

  private append(entry: Entry): void {
    this.items.push(entry)
    this.size += entryCost(entry)
  }
}

export function entryBytes(entry: Entry): number {
  return entry.kind === 'rx'
    ? entry.frame.bytes.length
    : entry.kind === 'tx'
      ? entry.bytes.length
      : 0
}

function entryCost(entry: Entry): number {
  return entry.kind === 'line' ? OVERHEAD : entryBytes(entry) + OVERHEAD
}
