import type { PortInfo } from '../../../common/protocol'
import type { EventName } from './record-format'

/**
 * The event line a change of port state puts in its recording, so a gap in the data is
 * explained in the file: open, close, unplug (the device went away), reconnect, release.
 */
export function eventForTransition(
  before: string | undefined,
  info: PortInfo,
): { event: EventName; fields: Record<string, unknown> } | null {
  const state: string = info.state
  if (before === state || before === undefined) return null
  if (state === 'open') {
    return { event: before === 'reconnecting' ? 'reconnect' : 'open', fields: { path: info.path } }
  }
  if (before === 'open' && (state === 'reconnecting' || state === 'error')) {
    return { event: 'unplug', fields: info.error ? { error: info.error } : {} }
  }
  if (state === 'closed') return { event: 'close', fields: {} }
  // Issue 8's release: the port is let go for another program for a while.
  if (state === 'released') {
    const until = (info as PortInfo & { until?: unknown }).until
    return { event: 'release', fields: until === undefined ? {} : { until } }
  }
  return null
}
