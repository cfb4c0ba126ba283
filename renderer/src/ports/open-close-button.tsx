import { useState } from 'react'
import type { PortState } from '../../../common/protocol'

export interface OpenCloseButtonProps {
  state: PortState
  busy: boolean
  onOpen: () => void
  onClose: () => void
}

/**
 * Closed, failed and released ports can be opened (opening ends a release); every other state
 * (open, opening, reconnecting) closed.
 */
export const canOpen = (state: PortState): boolean =>
  state === 'closed' || state === 'error' || state === 'released'

/**
 * Open or Close, by the port's state. The meaning shown when the pointer arrived is kept until
 * it leaves, and a click does what the button said: auto-open (or another window) turning
 * "Open" into "Close" under the pointer must never make a click meant to open close the port.
 */
export function OpenCloseButton({ state, busy, onOpen, onClose }: OpenCloseButtonProps) {
  const [held, setHeld] = useState<boolean | null>(null)
  const opens = held ?? canOpen(state)
  return (
    <button
      type="button"
      className={opens ? 'primary' : undefined}
      disabled={busy}
      onPointerEnter={() => setHeld(canOpen(state))}
      onPointerLeave={() => setHeld(null)}
      onClick={() => {
        // After the user's own click the button follows the state again.
        setHeld(null)
        if (opens) onOpen()
        else onClose()
      }}
    >
      {opens ? 'Open' : state === 'reconnecting' ? 'Stop reconnecting' : 'Close'}
    </button>
  )
}
