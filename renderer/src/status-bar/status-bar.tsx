import type { MqttStatus, PortInfo, ServerStatus } from '../../../common/engine-api'
import { mqttCountersText, mqttStateText } from '../../../common/mqtt-status'
import { useConnectionState } from '../bridge/use-connection-state'
import { MQTT_BADGE } from '../shared/mqtt-badge'
import type { AdminConnection, AdminConnectionState } from '../bridge/web-bridge'
import { plural } from '../shared/format-number'

export interface StatusBarProps {
  server: ServerStatus | null
  clients: number
  ports: PortInfo[]
  connection: AdminConnection | null
  mqtt?: MqttStatus | null
}

const serverBadge: Record<ServerStatus['state'], string> = {
  listening: 'open',
  starting: 'opening',
  stopped: 'closed',
  error: 'error',
}

function adminText(s: AdminConnectionState): string {
  switch (s.state) {
    case 'open':
      return 'Admin: connected'
    case 'connecting':
      return 'Admin: connecting…'
    case 'reconnecting':
      return `Admin: connection lost, retrying in ${Math.ceil(s.retryInMs / 1000)} s`
    case 'refused':
      return s.tokenSent ? 'Admin: token refused' : 'Admin: no token'
    case 'closed':
      return 'Admin: closed'
  }
}

const adminBadge = (s: AdminConnectionState) =>
  s.state === 'open'
    ? 'open'
    : s.state === 'closed'
      ? 'closed'
      : s.state === 'refused'
        ? 'error'
        : 'reconnecting'

/** Always-visible summary: where tools connect, how many are connected, what is open. */

export function StatusBar({ server, clients, ports, connection, mqtt = null }: StatusBarProps) {
  const admin = useConnectionState(connection)
  const open = ports.filter((p) => p.state === 'open').length
  // While the admin link is down, what is shown is the last thing the host said.
  const stale = admin !== null && admin.state !== 'open'
  return (
    <footer className={stale ? 'status-bar stale' : 'status-bar'}>
      <span className="status-item server">
        <span className={`dot badge-${server ? serverBadge[server.state] : 'closed'}`} />
        <span className="status-text">
          Server {server?.url ?? ''} {server ? server.state : 'unknown'}
          {server?.error && <span className="status-error"> ({server.error})</span>}
          {stale && ' (last known)'}
        </span>
      </span>
      <span className="status-item">{plural(clients, 'client')} connected</span>
      <span className="status-item">
        {open} of {plural(ports.length, 'port')} open
      </span>
      {mqtt && mqtt.state !== 'off' && (
        <span className="status-item" title={mqttCountersText(mqtt)}>
          <span className={`dot badge-${MQTT_BADGE[mqtt.state]}`} />
          {mqttStateText(mqtt)}
        </span>
      )}
      {admin && (
        <span
          className="status-item admin"
          role="status"
          title={
            admin.state === 'reconnecting'
              ? `${admin.reason} (attempt ${admin.attempt})`
              : undefined
          }
        >
          <span className={`dot badge-${adminBadge(admin)}`} />
          {adminText(admin)}
        </span>
      )}
    </footer>
  )
}
