import type { BucketTier } from './bucket-tier'

/** What one channel did in the shown span: for the readout. */
export interface ChannelReadout {
  last: number
  min: number
  max: number
  /** Samples in the span. */
  count: number
}

/** The points to draw: x (epoch ms) and one y array per channel, NaN where it has none. */
export interface PlotPoints {
  x: Float64Array
  y: Float64Array[]
  readouts: Array<ChannelReadout | null>
}

/** Wider screens than this are drawn with this many columns. */
export const MAX_COLUMNS = 4096

/**
 * Reduces a tier's buckets in a time span to at most two points per pixel column per channel
 * (its min and max, in the order that keeps the line continuous), into buffers made once and
 * reused every frame: drawing allocates no per-point memory.
 */
export class ColumnDownsampler {
  private readonly colTs = new Float64Array(MAX_COLUMNS)
  private readonly colUsed = new Uint8Array(MAX_COLUMNS)
  private cols: Array<{
    count: Uint32Array
    min: Float64Array
    max: Float64Array
    last: Float64Array
  }> = []
  private readonly x = new Float64Array(2 * MAX_COLUMNS)
  private ys: Float64Array[] = []

  run(tier: BucketTier, from: number, to: number, columns: number): PlotPoints {
    const n = Math.max(1, Math.min(MAX_COLUMNS, Math.floor(columns)))
    const channels = tier.channels.length
    while (this.cols.length < channels) {
      this.cols.push({
        count: new Uint32Array(MAX_COLUMNS),
        min: new Float64Array(MAX_COLUMNS),
        max: new Float64Array(MAX_COLUMNS),
        last: new Float64Array(MAX_COLUMNS),
      })
      this.ys.push(new Float64Array(2 * MAX_COLUMNS))
    }
    this.colUsed.fill(0, 0, n)
    for (let c = 0; c < channels; c++) this.cols[c]!.count.fill(0, 0, n)
    const perColumn = (to - from) / n
    const readouts: Array<ChannelReadout | null> = new Array<ChannelReadout | null>(channels).fill(
      null,
    )

    tier.forEach(from, to, (slot) => {
      const ts = tier.lastTs[slot]!
      const col = Math.min(n - 1, Math.max(0, Math.floor((ts - from) / perColumn)))
      if (!this.colUsed[col] || ts > this.colTs[col]!) this.colTs[col] = ts
      this.colUsed[col] = 1
      for (let c = 0; c < channels; c++) {
        const b = tier.channels[c]!
        const count = b.count[slot]!
        if (count === 0) continue
        const min = b.min[slot]!
        const max = b.max[slot]!
        const last = b.last[slot]!
        const acc = this.cols[c]!
        if (acc.count[col] === 0) {
          acc.min[col] = min
          acc.max[col] = max
        } else {
          if (min < acc.min[col]!) acc.min[col] = min
          if (max > acc.max[col]!) acc.max[col] = max
        }
        acc.last[col] = last
        acc.count[col]! += count
        const r = readouts[c]
        if (!r) readouts[c] = { last, min, max, count }
        else {
          r.last = last
          if (min < r.min) r.min = min
          if (max > r.max) r.max = max
          r.count += count
        }
      }
    })

    let points = 0
    for (let col = 0; col < n; col++) {
      if (!this.colUsed[col]) continue
      const ts = this.colTs[col]!
      this.x[points] = ts
      this.x[points + 1] = ts
      for (let c = 0; c < channels; c++) {
        const acc = this.cols[c]!
        const y = this.ys[c]!
        if (acc.count[col] === 0) {
          y[points] = y[points + 1] = NaN
          continue
        }
        const min = acc.min[col]!
        const max = acc.max[col]!
        // End the column near its last value, so the line goes on from where the data was.
        const rising = acc.last[col]! >= (min + max) / 2
        y[points] = rising ? min : max
        y[points + 1] = rising ? max : min
      }
      points += 2
    }
    return {
      x: this.x.subarray(0, points),
      y: this.ys.slice(0, channels).map((y) => y.subarray(0, points)),
      readouts,
    }
  }
}
