import type { PortState } from '../../../common/protocol'

const labels: Record<PortState, string> = {
  closed: 'Closed',
  opening: 'Opening',
  open: 'Open',
  reconnecting: 'Reconnecting',
  error: 'Error',
  released: 'Released',
}

/** The port's state; found by its name (`State: Open`), never confused with an Open button. */
export function StateBadge({ state }: { state: PortState }) {
  return (
    <span className={`badge badge-${state}`} role="status" aria-label={`State: ${labels[state]}`}>
      {labels[state]}
    </span>
  )
}
