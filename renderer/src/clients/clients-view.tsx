import type { ClientInfo, RefusedConnection } from '../../../common/engine-api'
import type { ClientRule } from '../../../common/settings-schema'
import { useBridge } from '../app-state/bridge-context'
import { formatBytes } from '../shared/format-number'
import { formatTime } from '../shared/format-time'
import { TableSection } from '../shared/table-section'
import { outcomeOf, useAction } from '../shared/use-action'
import { ClientRuleActions } from './client-rule-actions'
import { ClientRulesList } from './client-rules-list'
import { RefusedList } from './refused-list'

export interface ClientsViewProps {
  clients: ClientInfo[]
  refused: RefusedConnection[]
  allowedOrigins: string[]
  rules: ClientRule[]
  onClearRefused: () => Promise<void>
}

const CLIENT_COLUMNS = [
  'Client',
  'Origin / program',
  'Endpoint',
  'Since',
  'Messages from / to the tool',
  'Bytes from / to the tool',
  'Dropped',
  'Read-only',
]

/** Why a client is read-only beyond the operator's own tick, which cannot undo it. */
function lockedReadOnly(c: ClientInfo): string | null {
  if (c.readOnlyBy.includes('token')) return `by its token "${c.tokenName}"`
  if (c.readOnlyBy.includes('rule')) return 'by a rule'
  return null
}

/** The tools connected right now, the rules that hold them, and the attempts turned away. */
export function ClientsView({
  clients,
  refused,
  allowedOrigins,
  rules,
  onClearRefused,
}: ClientsViewProps) {
  const bridge = useBridge()
  const action = useAction()

  const disconnect = (c: ClientInfo) =>
    action.run(`Disconnecting ${c.id}…`, async () => {
      const r = await bridge.disconnectClient(c.id)
      return outcomeOf(r, `${c.id} was disconnected`)
    })
  const setReadOnly = (c: ClientInfo, readOnly: boolean) =>
    action.run(
      `${readOnly ? 'Making' : 'Letting'} ${c.id} ${readOnly ? 'read-only' : 'write'}…`,
      async () => {
        const r = await bridge.setClientReadOnly(c.id, readOnly)
        if (!r.ok) return outcomeOf(r, '')
        return {
          ok: true,
          text: readOnly
            ? `${c.id} is read-only: its writes are refused`
            : `${c.id} may write again`,
        }
      },
    )

  return (
    <div className="view clients-view">
      <TableSection
        heading={`Connected tools (${clients.length})`}
        status={action.status}
        columns={CLIENT_COLUMNS}
        empty={
          <p className="muted empty panel">
            No tools are connected. See Connect for code that connects one.
          </p>
        }
        rows={clients.map((c) => {
          const locked = lockedReadOnly(c)
          return (
            <tr key={c.id}>
              <td>
                <strong>{c.name ?? c.id}</strong>
                {c.name !== null && <span className="muted"> {c.id}</span>}
                <br />
                <span className="muted">{c.remoteAddress}</span>
                {c.tokenName !== null && (
                  <>
                    <br />
                    <span className="muted">token: {c.tokenName}</span>
                  </>
                )}
              </td>
              <td className="truncate" title={c.userAgent ?? undefined}>
                {c.origin ?? <span className="muted">no origin (a program)</span>}
                <br />
                <span className="muted">{c.userAgent ?? '—'}</span>
              </td>
              <td>
                <code>{c.endpoint}</code>
                <br />
                <span className="muted">
                  {c.subscriptions.length > 0 ? c.subscriptions.join(', ') : 'no ports'}
                </span>
              </td>
              <td className="nowrap">{formatTime(c.connectedSince)}</td>
              <td className="nowrap">
                {c.framesIn} / {c.framesOut}
              </td>
              <td className="nowrap">
                {formatBytes(c.bytesIn)} / {formatBytes(c.bytesOut)}
              </td>
              <td className={c.dropped > 0 ? 'warning' : undefined}>{c.dropped}</td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Read-only for ${c.id}`}
                  checked={c.readOnly}
                  disabled={locked !== null}
                  title={locked ? `Read-only ${locked}` : undefined}
                  onChange={(e) => void setReadOnly(c, e.target.checked)}
                />
                {locked && <span className="muted hint"> {locked}</span>}
              </td>
              <td>
                <div className="client-actions">
                  <button
                    type="button"
                    className="danger"
                    aria-label={`Disconnect ${c.id}`}
                    onClick={() => void disconnect(c)}
                  >
                    Disconnect
                  </button>
                  <ClientRuleActions client={c} action={action} />
                </div>
              </td>
            </tr>
          )
        })}
      />
      <ClientRulesList rules={rules} />
      <RefusedList refused={refused} allowedOrigins={allowedOrigins} onClear={onClearRefused} />
    </div>
  )
}
