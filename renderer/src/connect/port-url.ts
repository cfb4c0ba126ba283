import { PORT_STREAM_PREFIX } from '../../../common/protocol'

/**
 * The address a tool connects to for one port: `ws://127.0.0.1:8765/ports/sim-demo`, with
 * `?token=` when the server requires one.
 */
export function portUrl(serverUrl: string, portId: string, token: string | null): string {
  const base = serverUrl.replace(/\/+$/, '')
  const url = `${base}${PORT_STREAM_PREFIX}${encodeURIComponent(portId)}`
  return token ? `${url}?token=${encodeURIComponent(token)}` : url
}
