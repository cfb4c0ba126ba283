import type { PortInfo } from '../../../common/engine-api'
import { escapeBytes } from './port-form-model'

/** Bytes have kept coming this long with no frame ending: the framing is probably wrong. */
export const UNENDED_HINT_MS = 3000

/** A hint when a line or delimiter port reads bytes but never sees its ending; null otherwise. */
export function framingHint({ settings, metrics }: Pick<PortInfo, 'settings' | 'metrics'>) {
  if (metrics.unendedMs < UNENDED_HINT_MS) return null
  const { mode, delimiter } = settings.framing
  if (mode === 'line') return 'No line ending seen: is the framing right?'
  if (mode === 'delimiter')
    return `No delimiter "${escapeBytes(delimiter)}" seen: is the framing right?`
  return null
}
