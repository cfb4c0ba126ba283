/**
 * Latencies in log buckets 1 % wide, so clients in several processes can merge their counts
 * without shipping every sample over IPC.
 */
const GROWTH = 1.01
const LOG_GROWTH = Math.log(GROWTH)

/** Sparse form that travels over IPC: [bucket, count] pairs plus the exact extremes. */
export interface HistogramData {
  buckets: [number, number][]
  count: number
  maxNs: number
  sumNs: number
}

export class LatencyHistogram {
  private readonly counts = new Map<number, number>()
  count = 0
  maxNs = 0
  sumNs = 0

  record(ns: number): void {
    const us = ns / 1000
    const bucket = us <= 1 ? 0 : Math.ceil(Math.log(us) / LOG_GROWTH)
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1)
    this.count++
    this.sumNs += ns
    if (ns > this.maxNs) this.maxNs = ns
  }

  merge(data: HistogramData): void {
    for (const [bucket, n] of data.buckets)
      this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + n)
    this.count += data.count
    this.sumNs += data.sumNs
    if (data.maxNs > this.maxNs) this.maxNs = data.maxNs
  }

  /** The bucket's upper bound (at most 1 % high), capped by the exact maximum. */
  percentileMs(p: number): number | null {
    if (this.count === 0) return null
    const rank = Math.ceil((p / 100) * this.count)
    let seen = 0
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket) ?? 0
      if (seen >= rank) return Math.min(GROWTH ** bucket * 1000, this.maxNs) / 1e6
    }
    return this.maxNs / 1e6
  }

  maxMs(): number | null {
    return this.count === 0 ? null : this.maxNs / 1e6
  }

  toData(): HistogramData {
    return { buckets: [...this.counts], count: this.count, maxNs: this.maxNs, sumNs: this.sumNs }
  }

  static from(parts: HistogramData[]): LatencyHistogram {
    const h = new LatencyHistogram()
    for (const part of parts) h.merge(part)
    return h
  }
}
