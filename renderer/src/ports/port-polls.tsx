import type { PollInfo } from '../../../common/protocol'
import { plural } from '../shared/format-number'

/** `500 ms`, `2 s`, `5 min`. */
export function intervalText(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  if (ms < 60_000 || ms % 60_000 !== 0) return `${ms / 1000} s`
  return `${ms / 60_000} min`
}

/** The port's running polls and what they have done: a slow or silent instrument shows here. */
export function PortPolls({ polls }: { polls: readonly PollInfo[] }) {
  if (polls.length === 0) return null
  return (
    <ul className="port-polls" aria-label="Polls">
      {polls.map((p) => {
        const { stats } = p
        const parts = [
          plural(stats.answered, 'reply', 'replies'),
          plural(stats.timeouts, 'timeout'),
          `${stats.skipped.toLocaleString('en-US')} skipped`,
          ...(stats.lastRoundTripMs !== null ? [`last in ${stats.lastRoundTripMs} ms`] : []),
          ...(p.owner !== 'settings' ? [`started by ${p.owner}`] : []),
        ]
        return (
          <li key={`${p.owner} ${p.name}`} className={stats.timeouts > 0 ? 'warning' : undefined}>
            <strong>{p.name}</strong> <code>{p.command}</code> every {intervalText(p.intervalMs)}:{' '}
            {parts.join(' · ')}
          </li>
        )
      })}
    </ul>
  )
}
