import type { PortInfo, ServerMessage } from '../../../common/protocol'

/** A port's `status` message: its state, metrics, and what capabilities add (`recording`). */
export function statusMessage(info: PortInfo): Extract<ServerMessage, { type: 'status' }> {
  const { id, path: _path, settings: _settings, state, error, metrics, ...added } = info
  return { type: 'status', port: id, state, ...(error ? { error } : {}), metrics, ...added }
}
