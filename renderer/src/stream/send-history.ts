/** What was sent from the send box, walked with ↑/↓ like a shell; the unsent draft is kept. */
export class SendHistory {
  private readonly entries: string[] = []
  private cursor = 0
  private draft = ''

  constructor(private readonly limit = 100) {}

  get size(): number {
    return this.entries.length
  }

  add(entry: string): void {
    if (entry && this.entries[this.entries.length - 1] !== entry) {
      this.entries.push(entry)
      if (this.entries.length > this.limit) this.entries.shift()
    }
    this.cursor = this.entries.length
    this.draft = ''
  }

  /** ↑: the entry before the current one, or undefined at the oldest. */
  previous(current: string): string | undefined {
    if (this.cursor === 0) return undefined
    if (this.cursor === this.entries.length) this.draft = current
    this.cursor -= 1
    return this.entries[this.cursor]
  }

  /** ↓: the next entry, then the draft, then undefined. */
  next(): string | undefined {
    if (this.cursor >= this.entries.length) return undefined
    this.cursor += 1
    return this.cursor === this.entries.length ? this.draft : this.entries[this.cursor]
  }
}
