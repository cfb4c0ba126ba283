import type { FrameBatch } from '../../../common/contract'
import { ChangeNotifier } from '../shared/change-notifier'
import { PortSeries } from './port-series'

/**
 * The numbers of every port, outside React, fed from `bridge.onFrames` whether or not the Plot
 * view is on screen (so switching to it shows the last hour). Only received frames that the
 * engine parsed (`values`) count; a view reads them at most once per animation frame.
 */
export class PlotStore extends ChangeNotifier {
  private readonly series = new Map<string, PortSeries>()

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
}
