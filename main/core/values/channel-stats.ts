import type { ChannelInfo } from '../../../common/protocol'

/** Channels kept per port (and per `samples` batch): a frame with more names adds no more. */
export const MAX_CHANNELS = 64

/** The numeric channels of one port since it opened: last value, unit, min, max and count. */
export class ChannelStats {
  private readonly channels = new Map<string, ChannelInfo>()

  record(values: Record<string, number>, units: Record<string, string> | undefined): void {
    for (const [name, value] of Object.entries(values)) {
      let channel = this.channels.get(name)
      if (!channel) {
        if (this.channels.size >= MAX_CHANNELS) continue
        channel = { name, last: value, min: value, max: value, count: 0 }
        this.channels.set(name, channel)
      }
      channel.last = value
      if (value < channel.min) channel.min = value
      if (value > channel.max) channel.max = value
      channel.count += 1
      const unit = units?.[name]
      if (unit !== undefined) channel.unit = unit
    }
  }

  list(): ChannelInfo[] {
    return [...this.channels.values()].map((c) => ({ ...c }))
  }

  clear(): void {
    this.channels.clear()
  }
}
