import { EventEmitter } from 'node:events'
import type { EngineEvents, Unsubscribe } from '../../../common/engine-api'
import type { EngineBus, EngineBusEvents } from '../capability'
import type { FaultLog } from '../fault-log'

/**
 * The hosts' events (`engine.on`) and the bus capabilities follow: two emitters, so that
 * neither can starve the other.
 */
export interface EngineEventHub {
  emit<K extends keyof EngineEvents>(event: K, payload: EngineEvents[K]): void
  /** A frame event is made only for someone who listens (they come at the port's rate). */
  listenerCount(event: keyof EngineEvents): number
  /** A listener's fault is logged and stays here (events fire inside a port's read or a request). */
  on<K extends keyof EngineEvents>(
    event: K,
    listener: (payload: EngineEvents[K]) => void,
  ): Unsubscribe
  readonly bus: EngineBus
  busEmit<K extends keyof EngineBusEvents>(event: K, payload: EngineBusEvents[K]): void
}

export function engineEvents(logFault: FaultLog): EngineEventHub {
  const emitter = new EventEmitter()
  emitter.setMaxListeners(100)
  const busEmitter = new EventEmitter()
  busEmitter.setMaxListeners(100)
  return {
    emit: (event, payload) => void emitter.emit(event, payload),
    listenerCount: (event) => emitter.listenerCount(event),
    on(event, listener) {
      const guarded = (payload: Parameters<typeof listener>[0]): void => {
        try {
          listener(payload)
        } catch (error) {
          logFault(`a "${event}" listener`, error)
        }
      }
      emitter.on(event, guarded)
      return () => void emitter.off(event, guarded)
    },
    bus: {
      on(event, listener) {
        busEmitter.on(event, listener)
        return () => void busEmitter.off(event, listener)
      },
    },
    busEmit: (event, payload) => void busEmitter.emit(event, payload),
  }
}
