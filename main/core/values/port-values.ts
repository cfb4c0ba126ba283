import { createFrameParser, type FrameParser } from '../../../common/values/parse-frame'
import type { ParseSettings } from '../../../common/values/parse-settings'
import type { PortController } from '../serial/port-controller'
import type { RxFrame } from '../serial/rx-frame'
import { ChannelStats } from './channel-stats'

/** One port's numbers: its parser (made again when `parse` changes) and its channels. */
export class PortValues {
  readonly channels = new ChannelStats()
  private parseSettings: ParseSettings | null = null
  private parseKey: string | null = null
  private parser: FrameParser | null = null
  private openSince: string | null = null

  constructor(readonly controller: PortController) {}

  /** Sets `values` and `units` on a frame that parses; one that does not is counted. */
  annotate(frame: RxFrame): void {
    this.settingsChanged()
    if (!this.parser) return
    const parsed = this.parser(frame.text)
    if (!parsed) {
      this.controller.metrics.parseErrors += 1
      return
    }
    let { values, units } = parsed
    // A poll's reply that is one number without a name is filed under the poll's name.
    if (parsed.unnamed && frame.poll !== undefined) {
      values = renamed(values, frame.poll)
      if (units) units = renamed(units, frame.poll)
    }
    frame.values = values
    if (units) frame.units = units
    this.channels.record(values, units)
  }

  /** The port changed: channels count since it opened, and afresh with a new `parse`. */
  changed(openSince: string | null): void {
    this.settingsChanged()
    if (openSince === null || openSince === this.openSince) return
    this.openSince = openSince
    this.channels.clear()
  }

  /** Settings are new objects after any change of the port: only a new `parse` counts afresh. */
  private settingsChanged(): void {
    const parse = this.controller.settings.parse
    if (parse === this.parseSettings) return
    this.parseSettings = parse
    const key = JSON.stringify(parse)
    if (key === this.parseKey) return
    // The first parser a port gets is no change: its counters stand.
    if (this.parseKey !== null) {
      this.controller.metrics.parseErrors = 0
      this.channels.clear()
    }
    this.parseKey = key
    this.parser = createFrameParser(parse)
  }
}

function renamed<T>(record: Record<string, T>, name: string): Record<string, T> {
  const [only] = Object.values(record)
  return only === undefined ? record : { [name]: only }
}
