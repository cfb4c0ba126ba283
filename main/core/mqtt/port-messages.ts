import type { PortInfo } from '../../../common/protocol'
import type { RxFrame } from '../serial/rx-frame'

/** `ports/{id}/values`: `{"ts","values","units"}`, when the frame parsed into numbers. */
export function valuesPayload(frame: RxFrame): Buffer | null {
  if (!frame.values) return null
  return Buffer.from(
    JSON.stringify({
      ts: new Date(frame.ts).toISOString(),
      values: frame.values,
      units: frame.units ?? {},
    }),
  )
}

/** `ports/{id}/status` (retained): the port's state, its error if any, and its metrics. */
export function statusPayload(info: PortInfo): Buffer {
  return Buffer.from(
    JSON.stringify({
      state: info.state,
      ...(info.error ? { error: info.error } : {}),
      metrics: info.metrics,
    }),
  )
}

/** An empty retained message deletes the retained one (a port removed or no longer published). */
export const CLEAR_RETAINED = Buffer.alloc(0)
