import type { FrameBatch, Unsubscribe } from '../../../common/contract'
import { PortSeries } from './port-series'

/**
 * The numbers of every port, outside React, fed from `bridge.onFrames` whether or not the Plot
 * view is on screen (so switching to it shows the last hour). Only received frames that the
 * engine parsed (`values`) count; a view reads them at most once per animation frame.
 */
export class PlotStore {
  private readonly series = new Map<string, PortSeries>()
  private readonly listeners = new Set<() => void>()
  /** Bumped on every change, so a view can tell whether to draw again. */
  version = 0

  add(batch: FrameBatch): void {
    let changed = false
    for (const frame of batch.frames) {
      if (frame.direction !== 'rx' || !frame.values) continue
      this.of(frame.port).add(frame.ts, frame.values, frame.units)
      changed = true
    }
    if (changed) this.changed()
  }

  /** The port's series (empty until its first numbers). */
  of(port: string): PortSeries {
    let series = this.series.get(port)
    if (!series) this.series.set(port, (series = new PortSeries()))
    return series
  }

  clear(port: string): void {
    this.series.delete(port)
    this.changed()
  }

  subscribe(listener: () => void): Unsubscribe {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  private changed(): void {
    this.version += 1
    for (const listener of this.listeners) listener()
  }
}
