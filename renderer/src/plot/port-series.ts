import { BucketTier } from './bucket-tier'
import { BUCKETS_PER_WINDOW, MAX_PLOT_CHANNELS, PLOT_WINDOWS } from './plot-windows'

export interface PlotChannel {
  name: string
  unit?: string
}

/**
 * One port's numbers for the Plot view: a bucket tier per window, all fed with every sample.
 * Plain objects and typed arrays, outside React; `layout` moves when a channel or unit is new.
 */
export class PortSeries {
  readonly channels: PlotChannel[] = []
  readonly tiers: BucketTier[]
  /** Names beyond MAX_PLOT_CHANNELS, seen and not kept (the first few, to name them). */
  readonly skipped = new Set<string>()
  layout = 0
  /** The newest sample time, epoch ms (-Infinity before any). */
  lastTs = -Infinity
  private readonly index = new Map<string, number>()

  constructor(tiers?: BucketTier[]) {
    this.tiers =
      tiers ??
      PLOT_WINDOWS.map((w) => new BucketTier(w.ms / BUCKETS_PER_WINDOW, BUCKETS_PER_WINDOW + 2))
  }

  add(ts: number, values: Record<string, number>, units?: Record<string, string>): void {
    for (const name in values) {
      const value = values[name]!
      if (!Number.isFinite(value)) continue
      const channel = this.channelIndex(name, units?.[name])
      if (channel < 0) continue
      for (const tier of this.tiers) tier.add(ts, channel, value)
    }
    if (ts > this.lastTs) this.lastTs = ts
  }

  /** A copy that no longer changes (a paused view). */
  clone(): PortSeries {
    const copy = new PortSeries(this.tiers.map((t) => t.clone()))
    for (const c of this.channels) copy.channelIndex(c.name, c.unit)
    copy.lastTs = this.lastTs
    copy.layout = this.layout
    return copy
  }

  private channelIndex(name: string, unit: string | undefined): number {
    let i = this.index.get(name)
    if (i === undefined) {
      if (this.channels.length >= MAX_PLOT_CHANNELS) {
        if (this.skipped.size < MAX_PLOT_CHANNELS) this.skipped.add(name)
        return -1
      }
      i = this.channels.length
      this.index.set(name, i)
      this.channels.push(unit === undefined ? { name } : { name, unit })
      // A clone's tiers already hold their channels' arrays.
      for (const tier of this.tiers) if (tier.channels.length <= i) tier.addChannel()
      this.layout += 1
    } else if (unit !== undefined && this.channels[i]!.unit !== unit) {
      this.channels[i] = { name, unit }
      this.layout += 1
    }
    return i
  }
}
