import { performance } from 'node:perf_hooks'
import type { Unsubscribe } from '../../../common/engine-api'
import type { CapabilityFactory } from '../capability'
import { pollRequests } from './poll-requests'
import { pollRoutes } from './poll-routes'
import { PollTable } from './poll-table'

/**
 * Feature `polls`: the bridge asks instruments on a schedule (the ports' `polls` settings and
 * clients' `startPoll`); replies go out as `data` with `poll`. PortInfo lists them with stats;
 * REST has them under /api/v1/ports/{id}/polls.
 */
export const pollsCapability: CapabilityFactory = (ctx) => {
  const table = new PollTable(ctx.ports, () => performance.now())
  const requests = pollRequests(table, ctx)
  const unsubscribe: Unsubscribe[] = []
  return {
    name: 'polls',
    features: ['polls'],
    start() {
      for (const info of ctx.ports.ports()) table.sync(info)
      unsubscribe.push(
        ctx.bus.on('status', (info) => table.sync(info)),
        ctx.bus.on('removed', (info) => table.dropPort(info.id)),
        ctx.bus.on('clientClosed', ({ id }) => table.dropOwner(id)),
      )
    },
    stop() {
      for (const off of unsubscribe.splice(0)) off()
      table.stopAll()
    },
    describePort: (port) => ({ polls: table.list(port) }),
    handlers: requests,
    routes: pollRoutes({
      requests,
      hasPort: (id) => ctx.ports.has(id),
      list: (port) => table.list(port),
    }),
  }
}
