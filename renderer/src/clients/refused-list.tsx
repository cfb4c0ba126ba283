import type { RefusalReason, RefusedConnection } from '../../../common/engine-api'
import { useBridge } from '../app-state/bridge-context'
import { TableSection } from '../shared/table-section'
import { useAction } from '../shared/use-action'

const REFUSED_COLUMNS = ['When', 'From', 'Origin', 'Endpoint', 'Why']

const reasons: Record<RefusalReason, string> = {
  origin: 'web page not allowed',
  token: 'wrong or missing token',
  capacity: 'too many clients',
  host: 'unexpected Host header',
  'not-found': 'unknown address',
  'bad-request': 'malformed request',
}

/** Connection attempts the server turned away; a refused web page's origin can be allowed here. */
export function RefusedList({
  refused,
  allowedOrigins,
}: {
  refused: RefusedConnection[]
  allowedOrigins: string[]
}) {
  const bridge = useBridge()
  const action = useAction()
  const allow = (origin: string) =>
    action.run(`Allowing ${origin}…`, async () => {
      const r = await bridge.allowOrigin(origin)
      return r.ok
        ? { ok: true, text: `${origin} is allowed now: reload that page to connect` }
        : { ok: false, text: r.errors.join('; ') }
    })

  return (
    <TableSection
      heading={`Refused connections (${refused.length})`}
      status={action.status}
      columns={REFUSED_COLUMNS}
      empty={<p className="muted">None so far.</p>}
      rows={refused.map((r, i) => (
        <tr key={`${r.at}-${i}`}>
          <td>{new Date(r.at).toLocaleTimeString()}</td>
          <td>{r.remoteAddress}</td>
          <td>{r.origin ?? '—'}</td>
          <td>
            <code>{r.endpoint}</code>
          </td>
          <td title={r.message}>
            <span className={`reason reason-${r.reason}`}>{reasons[r.reason]}</span>
            <br />
            <span className="muted">{r.message}</span>
          </td>
          <td>
            {r.reason === 'origin' &&
              r.origin &&
              (allowedOrigins.includes(r.origin) ? (
                <span className="muted">allowed</span>
              ) : (
                <button
                  type="button"
                  aria-label={`Allow this origin: ${r.origin}`}
                  onClick={() => void allow(r.origin!)}
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
