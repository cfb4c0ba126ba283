import type { DeviceInfo } from '../../../common/engine-api'
import { ActionMessage } from '../shared/action-message'
import { DataTable } from '../shared/data-table'
import { plural } from '../shared/format-number'
import { useAction } from '../shared/use-action'

export interface DeviceListProps {
  devices: DeviceInfo[]
  error: string | null
  configuredPaths: Set<string>
  onRefresh: () => Promise<{ ok: boolean; devices: DeviceInfo[]; error?: string }>
  onSetUp: (device: DeviceInfo) => void
}

const DEVICE_COLUMNS = ['Path', 'Name', 'Manufacturer', 'Serial number', 'VID:PID']

const vidPid = (d: DeviceInfo) =>
  d.vendorId && d.productId ? `${d.vendorId}:${d.productId}`.toUpperCase() : '—'

/** Serial devices the computer sees now; updated live when one is plugged in or out. */
export function DeviceList({
  devices,
  error,
  configuredPaths,
  onRefresh,
  onSetUp,
}: DeviceListProps) {
  const action = useAction()
  const refresh = () =>
    action.run('Looking for serial devices…', async () => {
      const r = await onRefresh()
      return r.ok
        ? { ok: true, text: `Found ${plural(r.devices.length, 'device')}` }
        : { ok: false, text: r.error ?? 'Could not list serial ports' }
    })
  return (
    <section className="panel" aria-labelledby="detected-heading">
      <div className="section-head">
        <h2 id="detected-heading">Detected devices</h2>
        <button type="button" onClick={() => void refresh()} disabled={action.busy}>
          Refresh devices
        </button>
        <ActionMessage status={action.status} />
      </div>
      {error && <p className="warning">{error}</p>}
      {devices.length === 0 ? (
        <p className="muted">
          No serial devices found. Plug one in (the list updates by itself), or type its path with
          “Add port”.
        </p>
      ) : (
        <DataTable columns={DEVICE_COLUMNS}>
          {devices.map((d) => (
            <tr key={`${d.path}|${d.serialNumber ?? ''}`}>
              <td>
                <code>{d.path}</code>
              </td>
              <td>{d.friendlyName ?? '—'}</td>
              <td>{d.manufacturer ?? '—'}</td>
              <td>{d.serialNumber ?? '—'}</td>
              <td>{vidPid(d)}</td>
              <td>
                {configuredPaths.has(d.path) ? (
                  <span className="muted">configured</span>
                ) : (
                  <button type="button" aria-label={`Set up ${d.path}`} onClick={() => onSetUp(d)}>
                    Set up
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  )
}
