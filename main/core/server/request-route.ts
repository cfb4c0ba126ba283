import type { IncomingMessage, ServerResponse } from 'node:http'
import { CONTROL_PATH, PORT_STREAM_PREFIX } from '../../../common/protocol'
import type { ServerSettings } from '../../../common/settings-schema'
import type { FaultLog } from '../fault-log'
import { answerFault, answerRefusal } from './refusal'
import { readRequestTarget } from './request-target'
import type { ServerExtension } from './server-extension'
import { checkHost } from './upgrade-guard'

export interface RequestRouteDeps {
  settings: () => ServerSettings
  extensions: readonly ServerExtension[]
  /** "Serial Bridge 0.1.0" */
  serverName: string
  logFault: FaultLog
}

/**
 * The HTTP request path: target and Host are checked, then the extensions may answer; what is
 * left gets a line that points to the WebSocket endpoints. Nothing a request carries can throw
 * past here: a fault of ours is a 500, and logged.
 */
export function requestRoute(
  deps: RequestRouteDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    try {
      route(req, res, deps)
    } catch (error) {
      deps.logFault(`HTTP ${req.method ?? ''} request`, error)
      answerFault(res)
    }
  }
}

function route(req: IncomingMessage, res: ServerResponse, deps: RequestRouteDeps): void {
  const reading = readRequestTarget(req.url)
  if (!reading.ok) return answerRefusal(res, reading)
  const host = checkHost(req.headers.host, deps.settings())
  if (!host.ok) return answerRefusal(res, host)
  const { target } = reading
  for (const ext of deps.extensions) if (ext.http?.(req, res, target)) return
  res.writeHead(target.path === '/' ? 200 : 404, { 'content-type': 'text/plain; charset=utf-8' })
  res.end(
    `${deps.serverName}: connect with a WebSocket to ${CONTROL_PATH} or ${PORT_STREAM_PREFIX}{id}. ` +
      `See docs/protocol.md.\n`,
  )
}
