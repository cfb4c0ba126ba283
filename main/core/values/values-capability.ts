import type { Unsubscribe } from '../../../common/engine-api'
import type { CapabilityFactory } from '../capability'
import type { RxFrame } from '../serial/rx-frame'
import { PortValues } from './port-values'
import { SampleBatches } from './sample-batches'

/**
 * Features `values` and `samples`: each frame is parsed once, before any client sees it, with
 * its port's `parse` setting; `data` messages carry the numbers, PortInfo the channels seen,
 * and clients that ask get them in batches.
 */
export const valuesCapability: CapabilityFactory = (ctx) => {
  const ports = new Map<string, PortValues>()
  const batches = new SampleBatches()
  const unsubscribe: Unsubscribe[] = []
  const valuesOf = (id: string): PortValues | undefined => {
    const controller = ctx.ports.get(id)
    if (!controller) return undefined
    let values = ports.get(id)
    if (!values || values.controller !== controller) {
      values = new PortValues(controller)
      ports.set(id, values)
    }
    return values
  }
  return {
    name: 'values',
    features: ['values', 'samples'],
    start() {
      unsubscribe.push(
        ctx.bus.on('status', (info) => valuesOf(info.id)?.changed(info.metrics.openSince)),
        ctx.bus.on('removed', (info) => void ports.delete(info.id)),
        ctx.bus.on('clientClosed', ({ id }) => batches.drop(id)),
      )
    },
    stop() {
      for (const off of unsubscribe.splice(0)) off()
      batches.stopAll()
    },
    annotate: (frame: RxFrame) => valuesOf(frame.port)?.annotate(frame),
    sample: (client, frame, intervalMs) => batches.add(client, frame, intervalMs),
    describePort: (port) => ({ channels: ports.get(port)?.channels.list() ?? [] }),
  }
}
