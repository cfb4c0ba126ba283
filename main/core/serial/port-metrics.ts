import type { PortMetrics } from '../../../common/protocol'
import type { FrameEvents } from './framers/frame-events'

const RATE_WINDOW_MS = 5000

interface Sample {
  at: number
  bytesIn: number
  bytesOut: number
  framesIn: number
  framesOut: number
}

/** Counters for one port; rates are averaged over the last few seconds when read. */
export class PortMetricsCounter implements FrameEvents {
  bytesIn = 0
  bytesOut = 0
  framesIn = 0
  framesOut = 0
  errors = 0
  reconnects = 0
  openSince: number | null = null
  lastActivity: number | null = null
  framesCut = 0
  /** Frames that did not parse into numbers; counted by the values capability. */
  parseErrors = 0
  private unendedBytes = 0
  private unendedSince: number | null = null
  private unendedLast = 0
  private samples: Sample[] = []

  constructor(private readonly now: () => number = Date.now) {}

  received(bytes: number): void {
    this.bytesIn += bytes
    this.framesIn += 1
    this.lastActivity = this.now()
  }

  sent(bytes: number): void {
    this.bytesOut += bytes
    this.framesOut += 1
    this.lastActivity = this.now()
  }

  cut(): void {
    this.framesCut += 1
  }

  ended(): void {
    this.unendedBytes = 0
    this.unendedSince = null
  }

  arrived(bytes: number): void {
    const now = this.now()
    this.unendedSince ??= now
    this.unendedLast = now
    this.unendedBytes += bytes
  }

  snapshot(): PortMetrics {
    const now = this.now()
    const current: Sample = {
      at: now,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      framesIn: this.framesIn,
      framesOut: this.framesOut,
    }
    this.samples = this.samples.filter((s) => now - s.at <= RATE_WINDOW_MS)
    const oldest = this.samples[0]
    const last = this.samples.at(-1)
    if (!last || now - last.at >= 1000) this.samples.push(current)
    const seconds = oldest ? (now - oldest.at) / 1000 : 0
    const rate = (key: keyof Omit<Sample, 'at'>): number =>
      oldest && seconds > 0 ? Math.round(((current[key] - oldest[key]) / seconds) * 10) / 10 : 0
    return {
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      framesIn: this.framesIn,
      framesOut: this.framesOut,
      bytesInPerSec: rate('bytesIn'),
      bytesOutPerSec: rate('bytesOut'),
      framesInPerSec: rate('framesIn'),
      framesOutPerSec: rate('framesOut'),
      openSince: this.openSince === null ? null : new Date(this.openSince).toISOString(),
      lastActivity: this.lastActivity === null ? null : new Date(this.lastActivity).toISOString(),
      errors: this.errors,
      reconnects: this.reconnects,
      framesCut: this.framesCut,
      unendedBytes: this.unendedBytes,
      unendedMs: this.unendedSince === null ? 0 : this.unendedLast - this.unendedSince,
      parseErrors: this.parseErrors,
    }
  }
}
