import type { PortState } from '../../../common/protocol'

const labels: Record<PortState, string> = {
  closed: 'Closed',
  opening: 'Opening',
  open: 'Open',
  reconnecting: 'Reconnecting',
  error: 'Error',
  released: 'Released',
}

export function StateBadge({ state }: { state: PortState }) {
  return <span className={`badge badge-${state}`}>{labels[state]}</span>
}
