import { Gap, type StreamItem } from './items.js'

/**
 * The items of one stream that its reader has not taken yet. Bounded: when `limit` items wait,
 * new ones are dropped and counted, and once the reader has taken half of the backlog a `Gap`
 * naming exactly the dropped range takes their place. A slow reader loses frames, visibly,
 * instead of growing memory without end.
 */
export class ItemQueue {
  private readonly items: StreamItem[] = []
  private head = 0
  private overflow: Gap | null = null
  private readonly readers: Array<{
    resolve(result: IteratorResult<StreamItem>): void
    reject(error: unknown): void
  }> = []
  private ended: { error?: unknown } | null = null

  constructor(
    private readonly limit: number,
    /** Called when a gap from overflow is created (for `stats.gaps`). */
    private readonly onOverflowGap: () => void,
  ) {}

  get length(): number {
    return this.items.length - this.head
  }

  push(item: StreamItem): void {
    if (this.ended) return
    const reader = this.readers.shift()
    if (reader) return reader.resolve({ value: item, done: false })
    if (this.overflow || this.length >= this.limit) return this.drop(item)
    this.items.push(item)
  }

  /** Ends the stream: the reader gets what is queued, then `done` (or `error`). */
  end(error?: unknown): void {
    if (this.ended) return
    this.ended = error === undefined ? {} : { error }
    // Readers wait only while nothing is queued.
    this.finishReaders()
  }

  next(): Promise<IteratorResult<StreamItem>> {
    if (this.length > 0) {
      const value = this.items[this.head]!
      this.items[this.head++] = undefined as never
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head)
        this.head = 0
      }
      if (this.overflow && this.length <= this.limit / 2) this.releaseOverflow()
      return Promise.resolve({ value, done: false })
    }
    if (this.overflow) {
      const gap = this.overflow
      this.overflow = null
      return Promise.resolve({ value: gap, done: false })
    }
    if (this.ended) {
      const { error } = this.ended
      return error === undefined
        ? Promise.resolve({ value: undefined, done: true })
        : Promise.reject(error)
    }
    return new Promise((resolve, reject) => this.readers.push({ resolve, reject }))
  }

  private drop(item: StreamItem): void {
    const from = item.type === 'frame' ? item.seq : item.fromSeq
    const to = item.type === 'frame' ? item.seq : item.toSeq
    const restarted = item.type === 'gap' && item.restarted
    const open = this.overflow
    if (!open) this.onOverflowGap()
    // Once a range crosses a restart its end is in another numbering: say "unknown".
    const unknownEnd = restarted || (open !== null && (open.restarted || open.toSeq === null))
    this.overflow = new Gap(
      item.port,
      open?.fromSeq ?? from,
      unknownEnd ? null : to,
      restarted || (open?.restarted ?? false),
    )
  }

  private releaseOverflow(): void {
    this.items.push(this.overflow!)
    this.overflow = null
  }

  private finishReaders(): void {
    const error = this.ended?.error
    for (const reader of this.readers.splice(0)) {
      if (error === undefined) reader.resolve({ value: undefined, done: true })
      else reader.reject(error)
    }
  }
}
