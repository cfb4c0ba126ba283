import type { BridgeEventPayloads, EventName } from '../../common/contract'
import type { Engine, Unsubscribe } from '../../common/engine-api'
import { createFrameBatcher, type FrameBatcherOptions } from './frame-batcher'

export type BridgeEmit = <K extends EventName>(event: K, payload: BridgeEventPayloads[K]) => void

/**
 * Feeds one UI (a window over IPC, or an admin WebSocket) with the contract's events: engine
 * events pass through, frames arrive in batches. Notices come from the host, not the engine.
 */
export function forwardBridgeEvents(
  engine: Engine,
  emit: BridgeEmit,
  batching: Omit<FrameBatcherOptions, 'deliver'> = {},
): Unsubscribe {
  const batcher = createFrameBatcher({ ...batching, deliver: (batch) => emit('frames', batch) })
  const subscriptions = [
    engine.on('frame', (frame) => batcher.push(frame)),
    engine.on('port', (payload) => emit('port', payload)),
    engine.on('clients', (payload) => emit('clients', payload)),
    engine.on('refused', (payload) => emit('refused', payload)),
    engine.on('devices', (payload) => emit('devices', payload)),
    engine.on('server', (payload) => emit('server', payload)),
    engine.on('settings', (payload) => emit('settings', payload)),
    engine.on('mqtt', (payload) => emit('mqtt', payload)),
  ]
  return () => {
    for (const unsubscribe of subscriptions) unsubscribe()
    batcher.stop()
  }
}
