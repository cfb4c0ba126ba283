import type { RefusalReason, RefusedConnection } from '../../../common/engine-api'
import { useBridge } from '../app-state/bridge-context'
import { plural } from '../shared/format-number'
import { formatTime } from '../shared/format-time'
import { TableSection } from '../shared/table-section'
import { useAction } from '../shared/use-action'
import { groupRefused } from './refused-groups'

const REFUSED_COLUMNS = ['Last attempt', 'Attempts', 'From', 'Origin', 'Endpoint', 'Why']

const reasons: Record<RefusalReason, string> = {
  origin: 'web page not allowed',
  token: 'wrong or missing token',
  capacity: 'too many clients',
  host: 'unexpected Host header',
  'not-found': 'unknown address',
  'client-name': 'bad ?client= name',
  blocked: 'blocked by a rule',
  'bad-request': 'malformed request',
}

/** Connection attempts the server turned away; a refused web page's origin can be allowed here. */
export function RefusedList({
  refused,
  allowedOrigins,
  onClear,
}: {
  refused: RefusedConnection[]
  allowedOrigins: string[]
  onClear: () => Promise<void>
}) {
  const bridge = useBridge()
  const action = useAction()
  const groups = groupRefused(refused)
  const allow = (origin: string) =>
    action.run(`Allowing ${origin}…`, async () => {
      const r = await bridge.allowOrigin(origin)
      return r.ok
        ? { ok: true, text: `${origin} is allowed now: reload that page to connect` }
        : { ok: false, text: r.errors.join('; ') }
    })
  const clear = () =>
    action.run('Clearing…', async () => {
      await onClear()
      return { ok: true, text: 'Cleared the refused connections' }
    })

  return (
    <TableSection
      heading={`Refused connections (${plural(refused.length, 'attempt')})`}
      status={action.status}
      columns={REFUSED_COLUMNS}
      actions={
        groups.length > 0 && (
          <button type="button" onClick={() => void clear()} disabled={action.busy}>
            Clear
          </button>
        )
      }
      empty={<p className="muted">None so far.</p>}
      rows={groups.map((g) => (
        <tr key={g.key}>
          <td className="nowrap" title={`first: ${formatTime(g.first)}`}>
            {formatTime(g.last)}
          </td>
          <td>{g.count}×</td>
          <td>{g.remoteAddresses.join(', ')}</td>
          <td>{g.origin ?? '—'}</td>
          <td>
            {g.endpoints.map((e) => (
              <code key={e}>{e} </code>
            ))}
          </td>
          <td title={g.message}>
            <span className={`reason reason-${g.reason}`}>{reasons[g.reason]}</span>
            <br />
            <span className="muted">{g.message}</span>
          </td>
          <td>
            {g.reason === 'origin' &&
              g.origin &&
              (allowedOrigins.includes(g.origin) ? (
                <span className="muted">allowed</span>
              ) : (
                <button
                  type="button"
                  aria-label={`Allow this origin: ${g.origin}`}
                  onClick={() => void allow(g.origin!)}
                >
                  Allow this origin
                </button>
              ))}
          </td>
        </tr>
      ))}
    />
  )
}
