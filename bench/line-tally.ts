/**
 * Which of the data lines 0..expected-1 one receiver got, how many twice, how many out of
 * order: what a collector that is not a ClientPool client (S12, S13) counts per line.
 */
export class LineTally {
  private readonly seen: Uint8Array
  unique = 0
  duplicates = 0
  outOfOrder = 0
  lastSeq = -1

  constructor(readonly expected: number) {
    this.seen = new Uint8Array(expected)
  }

  add(seq: number): void {
    if (seq < this.seen.length) {
      if (this.seen[seq]) this.duplicates++
      else {
        this.seen[seq] = 1
        this.unique++
      }
    }
    if (seq < this.lastSeq) this.outOfOrder++
    this.lastSeq = seq
  }

  /** The first lines that never arrived, at most `max`. */
  missing(max: number): number[] {
    const out: number[] = []
    for (let i = 0; i < this.seen.length && out.length < max; i++) if (!this.seen[i]) out.push(i)
    return out
  }

  counts(): { unique: number; outOfOrder: number; duplicates: number; lastSeq: number } {
    const { unique, outOfOrder, duplicates, lastSeq } = this
    return { unique, outOfOrder, duplicates, lastSeq }
  }
}

/**
 * Polls `unique()` until it reaches `expected`, or nothing new arrived for `stallMs` (what is
 * still missing is lost). Bounded by the stall either way.
 */
export async function waitForLines(
  unique: () => Promise<number>,
  expected: number,
  stallMs: number,
): Promise<void> {
  let last = -1
  let lastChange = Date.now()
  for (;;) {
    const now = await unique()
    if (now >= expected) return
    if (now !== last) [last, lastChange] = [now, Date.now()]
    else if (Date.now() - lastChange > stallMs) return
    await new Promise((r) => setTimeout(r, 100))
  }
}
