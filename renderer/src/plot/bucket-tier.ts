/** One channel's numbers per bucket: typed arrays of the tier's capacity. */
export interface ChannelBuckets {
  count: Uint32Array
  sum: Float64Array
  min: Float64Array
  max: Float64Array
  last: Float64Array
}

function channelBuckets(capacity: number): ChannelBuckets {
  return {
    count: new Uint32Array(capacity),
    sum: new Float64Array(capacity),
    min: new Float64Array(capacity),
    max: new Float64Array(capacity),
    last: new Float64Array(capacity),
  }
}

/**
 * One window's samples as a ring of fixed-width time buckets: bucket `i` covers
 * `[i·width, (i+1)·width)` ms and lives in slot `i mod capacity`, which holds the newest
 * `capacity` buckets. Memory is fixed by capacity and channel count, never by the data rate.
 */
export class BucketTier {
  /** Which bucket each slot holds now (NaN: none yet). */
  readonly key: Float64Array
  /** The newest sample time in each slot's bucket. */
  readonly lastTs: Float64Array
  readonly channels: ChannelBuckets[] = []
  /** The newest bucket seen; older ones beyond the ring are gone. */
  head = -Infinity

  constructor(
    readonly width: number,
    readonly capacity: number,
  ) {
    this.key = new Float64Array(capacity).fill(NaN)
    this.lastTs = new Float64Array(capacity)
  }

  addChannel(): void {
    this.channels.push(channelBuckets(this.capacity))
  }

  add(ts: number, channel: number, value: number): void {
    const bucket = Math.floor(ts / this.width)
    // Older than the ring holds (a clock step back): its slot belongs to a newer bucket now.
    if (bucket <= this.head - this.capacity) return
    if (bucket > this.head) this.head = bucket
    const slot = bucket % this.capacity
    if (this.key[slot] !== bucket) {
      this.key[slot] = bucket
      this.lastTs[slot] = ts
      for (const c of this.channels) c.count[slot] = 0
    } else if (ts > this.lastTs[slot]!) this.lastTs[slot] = ts
    const c = this.channels[channel]!
    const n = c.count[slot]!
    if (n === 0) {
      c.sum[slot] = c.min[slot] = c.max[slot] = value
    } else {
      c.sum[slot]! += value
      if (value < c.min[slot]!) c.min[slot] = value
      if (value > c.max[slot]!) c.max[slot] = value
    }
    c.last[slot] = value
    c.count[slot] = n + 1
  }

  /** Calls `visit(slot)` for each bucket holding samples from `from` to `to` ms, oldest first. */
  forEach(from: number, to: number, visit: (slot: number) => void): void {
    const first = Math.max(Math.floor(from / this.width), this.head - this.capacity + 1)
    const last = Math.min(Math.floor(to / this.width), this.head)
    for (let bucket = first; bucket <= last; bucket++) {
      const slot = bucket % this.capacity
      if (this.key[slot] !== bucket) continue
      const ts = this.lastTs[slot]!
      if (ts >= from && ts <= to) visit(slot)
    }
  }

  clone(): BucketTier {
    const copy = new BucketTier(this.width, this.capacity)
    copy.key.set(this.key)
    copy.lastTs.set(this.lastTs)
    copy.head = this.head
    for (const c of this.channels) {
      copy.channels.push({
        count: c.count.slice(),
        sum: c.sum.slice(),
        min: c.min.slice(),
        max: c.max.slice(),
        last: c.last.slice(),
      })
    }
    return copy
  }
}
