import { useState } from 'react'
import type { PortInfo } from '../../../common/engine-api'
import type { PortState } from '../../../common/protocol'
import { whenText } from '../clients/rule-text'

/** How long "Release for…" offers; null: until someone opens the port. */
export const RELEASE_CHOICES = [
  { label: '1 min', seconds: 60 },
  { label: '5 min', seconds: 300 },
  { label: 'until I reopen', seconds: null },
] as const

/** A port that holds the device (or is about to) can let it go; a released one can change its time. */
export const canRelease = (state: PortState): boolean =>
  state === 'open' || state === 'opening' || state === 'reconnecting' || state === 'released'

/** `Released to another program until 14:05:30`, or until opened; null when not released. */
export function releasedText(port: Pick<PortInfo, 'state' | 'until'>, now: number): string | null {
  if (port.state !== 'released') return null
  return port.until
    ? `Released to another program until ${whenText(port.until, now)}: it opens again by itself then`
    : 'Released to another program until you open it again'
}

export interface ReleaseButtonProps {
  portId: string
  state: PortState
  busy: boolean
  onRelease: (seconds: number | null) => void
  /** A choice clicked after the port stopped holding the device (closed meanwhile). */
  onNothingToRelease: () => void
}

/**
 * "Release for…" and its choices. Always in the same place (disabled when there is nothing to
 * release), so no other button slides under the pointer when the state changes; an open menu
 * keeps its choices, and a choice clicked after the port was closed meanwhile releases nothing:
 * a release would open that port again by itself later.
 */
export function ReleaseButton({
  portId,
  state,
  busy,
  onRelease,
  onNothingToRelease,
}: ReleaseButtonProps) {
  const [menu, setMenu] = useState(false)
  return (
    <span className="release-control">
      <button
        type="button"
        aria-expanded={menu}
        disabled={busy || (!menu && !canRelease(state))}
        title={
          canRelease(state) ? undefined : 'Open the port first: then it has a device to let go'
        }
        onClick={() => setMenu((m) => !m)}
      >
        Release for…
      </button>
      {menu && (
        <span role="group" aria-label={`Release ${portId} for`} className="release-choices">
          {RELEASE_CHOICES.map((c) => (
            <button
              key={c.label}
              type="button"
              onClick={() => {
                setMenu(false)
                if (canRelease(state)) onRelease(c.seconds)
                else onNothingToRelease()
              }}
            >
              {c.label}
            </button>
          ))}
          <button type="button" onClick={() => setMenu(false)}>
            Cancel
          </button>
        </span>
      )}
    </span>
  )
}
