import { eventChannels } from '../../common/contract'
import type { BridgeEmit } from '../admin/bridge-events'

/** The part of a window's `webContents` that events go through. */
export interface EventTarget {
  send(channel: string, payload: unknown): void
  isDestroyed(): boolean
}

/**
 * Sends contract events to the window's renderer on their channels. Events while there is no
 * window (or it is gone) are dropped: the renderer asks for current state when it starts.
 */
export function createWindowEmitter(target: () => EventTarget | null): BridgeEmit {
  return (event, payload) => {
    const contents = target()
    if (contents && !contents.isDestroyed()) contents.send(eventChannels[event], payload)
  }
}
