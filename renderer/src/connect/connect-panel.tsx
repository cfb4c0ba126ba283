import { useId } from 'react'
import type { MqttStatus, PortInfo, ServerStatus } from '../../../common/engine-api'
import { portTopics } from '../../../common/mqtt-topic'
import type { MqttSettings } from '../../../common/settings-schema'
import { CopyButton } from '../shared/copy-button'
import { librarySnippets } from './library-snippets'
import { mqttSnippets } from './mqtt-snippets'
import { portUrl } from './port-url'
import { connectSnippets, type Snippet } from './snippets'

export interface ConnectPanelProps {
  ports: PortInfo[]
  selected: string | null
  onSelect: (portId: string) => void
  server: ServerStatus | null
  token: string | null
  mqtt?: MqttStatus | null
  mqttSettings?: MqttSettings | null
}

/** How to connect a tool to the selected port, in the languages labs use. */
export function ConnectPanel({
  ports,
  selected,
  onSelect,
  server,
  token,
  mqtt = null,
  mqttSettings = null,
}: ConnectPanelProps) {
  const selectId = useId()
  const port = ports.find((p) => p.id === selected) ?? ports[0] ?? null
  if (!port) {
    return (
      <div className="view">
        <p className="empty panel">
          Add a port under Ports first; its connection code appears here.
        </p>
      </div>
    )
  }
  if (!server?.url) {
    return (
      <div className="view">
        <p className="empty panel warning">
          The server is not listening{server?.error ? `: ${server.error}` : ''}. Check Settings.
        </p>
      </div>
    )
  }
  const url = portUrl(server.url, port.id, token)
  return (
    <div className="view connect-view">
      <div className="toolbar">
        <label htmlFor={selectId} className="inline-label">
          Port
        </label>
        <select id={selectId} value={port.id} onChange={(e) => onSelect(e.target.value)}>
          {ports.map((p) => (
            <option key={p.id} value={p.id}>
              {p.id}
            </option>
          ))}
        </select>
        <code className="url" aria-label="Port URL">
          {url}
        </code>
        <CopyButton text={url} label="port URL" />
      </div>
      <p className="muted">
        Each message received is one line (frame) from {port.id}; each message sent is written to
        the port with its line ending. <code>?format=json</code> gives JSON messages with
        timestamps; <code>/ws</code> is the control endpoint for several ports.
        {token && ' The token is part of the URL: keep these snippets private.'}
      </p>
      {server.fingerprint && (
        <p className="muted">
          TLS: the snippets pin the certificate by its SHA-256 fingerprint{' '}
          <code className="fingerprint">{server.fingerprint}</code>.
        </p>
      )}
      <SnippetList
        idPrefix={selectId}
        snippets={connectSnippets(url, port.id, server.fingerprint ?? null)}
      />
      <h2 className="section-title">With the library</h2>
      <p className="muted">
        Serial Bridge&apos;s own client libraries reconnect by themselves and resume where they
        stopped: after a dropped connection every line arrives once, and lines that could not be
        replayed are reported as a gap. See docs/clients.md.
      </p>
      <SnippetList
        idPrefix={`${selectId}-library`}
        snippets={librarySnippets(server.url, port.id, token, server.fingerprint ?? null)}
      />
      {mqttSettings?.enabled && mqtt && (
        <>
          <h2 className="section-title">Through the lab&apos;s MQTT broker</h2>
          <p className="muted">
            {port.id} is published to {mqttSettings.url} under{' '}
            <code>{portTopics(mqtt.topicPrefix, port.settings).rx.replace(/\/rx$/, '')}</code>:
            lines on <code>…/rx</code>, numbers on <code>…/values</code>, its state (retained) on{' '}
            <code>…/status</code>. See docs/mqtt.md.
          </p>
          <SnippetList
            idPrefix={`${selectId}-mqtt`}
            snippets={mqttSnippets(
              mqttSettings.url,
              port.id,
              portTopics(mqtt.topicPrefix, port.settings),
            )}
          />
        </>
      )}
    </div>
  )
}

function SnippetList({
  idPrefix,
  snippets,
}: {
  idPrefix: string
  snippets: Array<Omit<Snippet, 'id'> & { id: string }>
}) {
  return (
    <div className="snippets">
      {snippets.map((s) => (
        <section key={s.id} className="panel snippet" aria-labelledby={`${idPrefix}-${s.id}`}>
          <div className="section-head">
            <h2 id={`${idPrefix}-${s.id}`}>{s.title}</h2>
            <CopyButton text={s.code} label={`${s.title} snippet`} />
          </div>
          <p className="hint">{s.note}</p>
          <pre tabIndex={0} aria-label={`${s.title} code`}>
            <code>{s.code}</code>
          </pre>
        </section>
      ))}
    </div>
  )
}
