import { portTopics } from '../../../common/mqtt-topic'
import type { PortInfo } from '../../../common/engine-api'
import { CopyButton } from '../shared/copy-button'

/** Each port's topics, copy-ready, as the uplink publishes them (docs/mqtt.md). */
export function MqttTopics({
  prefix,
  ports,
  commands,
}: {
  prefix: string
  ports: PortInfo[]
  commands: boolean
}) {
  if (ports.length === 0) return <p className="muted">Add a port: its topics appear here.</p>
  const kinds = commands
    ? (['rx', 'values', 'status', 'write', 'query'] as const)
    : (['rx', 'values', 'status'] as const)
  return (
    <table className="data-table mqtt-topics">
      <caption>Topics per port (the bridge itself: {prefix}/status)</caption>
      <thead>
        <tr>
          <th scope="col">Port</th>
          <th scope="col">Topic</th>
          <th scope="col">
            <span className="sr-only">Copy</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {ports.flatMap((p) => {
          const topics = portTopics(prefix, p.settings)
          const off = p.settings.mqtt?.publish === false
          return kinds.map((kind) => (
            <tr key={`${p.id}-${kind}`}>
              <td>
                {p.id}
                {off && kind === 'rx' && <span className="muted"> (not published)</span>}
              </td>
              <td>
                <code>{topics[kind]}</code>
              </td>
              <td>
                <CopyButton text={topics[kind]} label={`${p.id} ${kind} topic`} />
              </td>
            </tr>
          ))
        })}
      </tbody>
    </table>
  )
}
