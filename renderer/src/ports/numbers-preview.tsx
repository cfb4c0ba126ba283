import type { StreamFrame } from '../../../common/contract'
import type { PortSettings } from '../../../common/settings-schema'
import type { ParsedValues } from '../../../common/values/parse-frame'
import type { ParseSettings } from '../../../common/values/parse-settings'
import { useServices } from '../app-state/bridge-context'
import { formatValue } from '../shared/format-number'
import type { FrameRing } from '../stream/frame-ring'
import { decodeText, visibleText } from '../stream/format-frame'
import { useStoreVersion } from '../stream/use-store-version'
import { parseFrameText } from './frame-values'

/** Enough to see at once whether a setting is right, few enough to read. */
export const PREVIEW_FRAMES = 5

/** The port's last `n` received frames, oldest first. */
export function lastReceived(ring: FrameRing<StreamFrame>, n: number): StreamFrame[] {
  const out: StreamFrame[] = []
  for (let i = ring.length - 1; i >= 0 && out.length < n; i--) {
    const frame = ring.at(i)!
    if (frame.direction === 'rx') out.unshift(frame)
  }
  return out
}

export interface NumbersPreviewProps {
  portId: string | null
  encoding: PortSettings['encoding']
  /** The setting as typed; null while it has errors. */
  settings: ParseSettings | null
}

/**
 * The port's last frames read with the setting being edited (the engine's own parser, run
 * here), refreshed as frames arrive: a technician sees at once whether the setting is right.
 */
export function NumbersPreview({ portId, encoding, settings }: NumbersPreviewProps) {
  const { frames } = useServices()
  useStoreVersion(frames)
  if (portId === null)
    return <p className="preview-note">Preview: add the port and open it to see its frames.</p>
  if (settings === null)
    return <p className="preview-note">Preview: fix the setting above to see its frames read.</p>
  const recent = lastReceived(frames.ring(portId), PREVIEW_FRAMES)
  if (recent.length === 0)
    return (
      <p className="preview-note">
        Preview: no frames from {portId} yet. Open the port; its last {PREVIEW_FRAMES} frames show
        here, read with this setting.
      </p>
    )

  const rows = recent.map((frame) => {
    const text = decodeText(frame.data, encoding)
    return { frame, text, parsed: parseFrameText(settings, text, frame.poll) }
  })
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.parsed?.values ?? {})))]
  const unparsed = rows.filter((r) => !r.parsed).length
  return (
    <table className="data-table numbers-preview" aria-label={`Numbers preview of ${portId}`}>
      <caption>
        The last {rows.length} frames of {portId}, read with this setting
        {unparsed > 0 ? ` (${unparsed} without numbers: they still arrive as data)` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">Frame</th>
          {names.map((n) => (
            <th key={n} scope="col">
              {n}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={`${r.frame.ts}-${i}`}>
            <td className="mono">
              {visibleText(r.text)}
              {r.frame.poll !== undefined && <span className="muted"> (poll {r.frame.poll})</span>}
            </td>
            {r.parsed ? (
              names.map((n) => <td key={n}>{cell(r.parsed!, n)}</td>)
            ) : (
              <td className="warning" colSpan={Math.max(1, names.length)}>
                no numbers
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function cell(parsed: ParsedValues, name: string): string {
  const v = parsed.values[name]
  if (v === undefined) return '–'
  const unit = parsed.units?.[name]
  return unit ? `${formatValue(v)} ${unit}` : formatValue(v)
}
