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
  const guard =
    <T>(what: string, listener: (payload: T) => void) =>
    (payload: T): void => {
      try {
        listener(payload)
      } catch (error) {
        logFault(what, error)
      }
    }
  const emitter = new EventEmitter()
  emitter.setMaxListeners(100)
  const busEmitter = new EventEmitter()
  busEmitter.setMaxListeners(100)
  return {
    emit: (event, payload) => void emitter.emit(event, payload),
    listenerCount: (event) => emitter.listenerCount(event),
    on(event, listener) {
      const guarded = guard(`a "${event}" listener`, listener)
      emitter.on(event, guarded)
      return () => void emitter.off(event, guarded)
    },
    bus: {
      // A capability's fault must not reach the serial read path that emits `rx`.
      on(event, listener) {
        const guarded = guard(`a capability's "${event}" listener`, listener)
        busEmitter.on(event, guarded)
        return () => void busEmitter.off(event, guarded)
      },
    },
    busEmit: (event, payload) => void busEmitter.emit(event, payload),
  }
}
