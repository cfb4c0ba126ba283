import { useState } from 'react'
import type { PortInfo } from '../../../common/engine-api'
import { useBridge } from '../app-state/bridge-context'
import { portUrl } from '../connect/port-url'
import { RecordControl } from '../recording/record-control'
import { ActionMessage } from '../shared/action-message'
import { CopyButton } from '../shared/copy-button'
import { formatBytes, formatRate } from '../shared/format-number'
import { StateBadge } from '../shared/state-badge'
import { outcomeOf, useAction } from '../shared/use-action'
import { framingHint } from './framing-hint'
import { OpenCloseButton } from './open-close-button'
import { PortPolls } from './port-polls'
import { ReleaseButton, releasedText } from './release-button'

export interface PortCardProps {
  port: PortInfo
  serverUrl: string | null
  token: string | null
  onEdit: () => void
  onShowStream: () => void
  onShowPlot: () => void
  onShowConnect: () => void
}

/** One direction's counters: total bytes and frames, and the current rate. */
function Traffic(props: {
  label: string
  bytes: number
  frames: number
  bytesPerSec: number
  cut?: number
}) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd>
        {formatBytes(props.bytes)} · {props.frames} frames · {formatRate(props.bytesPerSec)}
        {props.cut ? ` · ${props.cut} frames cut` : ''}
      </dd>
    </div>
  )
}

/** One configured port: state, counters, its URL, and what can be done with it. */
export function PortCard({
  port,
  serverUrl,
  token,
  onEdit,
  onShowStream,
  onShowPlot,
  onShowConnect,
}: PortCardProps) {
  const bridge = useBridge()
  const action = useAction(port.state)
  const [confirmRemove, setConfirmRemove] = useState(false)
  const { metrics } = port
  const name = port.path === port.id ? port.id : `${port.id} (${port.path})`
  const url = serverUrl ? portUrl(serverUrl, port.id, token) : null
  const hint = port.state === 'open' ? framingHint(port) : null
  const released = releasedText(port, Date.now())

  const open = () =>
    action.run(`Opening ${port.path}…`, async () => {
      const r = await bridge.openPort(port.id)
      return outcomeOf(r, `${port.path} is open`)
    })
  const close = () =>
    action.run(`Closing ${port.path}…`, async () => {
      const r = await bridge.closePort(port.id)
      return outcomeOf(r, `${port.path} is closed`)
    })
  const release = (seconds: number | null) =>
    action.run(`Releasing ${port.path}…`, async () => {
      const r = await bridge.releasePort(port.id, seconds)
      return outcomeOf(r, `${port.path} is free for another program`)
    })
  const remove = () =>
    action.run(`Removing ${port.id}…`, async () => {
      const r = await bridge.removePort(port.id)
      return outcomeOf(r, `${port.id} was removed`)
    })

  return (
    <article className={`port-card state-${port.state}`} aria-label={`Port ${port.id}`}>
      <header className="port-card-head">
        <h3>{name}</h3>
        <StateBadge state={port.state} />
        <span className="port-settings">
          {port.settings.baudRate} baud · {port.settings.dataBits}
          {port.settings.parity[0]!.toUpperCase()}
          {port.settings.stopBits}
        </span>
      </header>
      {port.error && (
        <p className="port-error" role="alert">
          {port.error}
        </p>
      )}
      {released && (
        <p className="port-released" role="status">
          {released}
        </p>
      )}
      {hint && (
        <p className="port-hint" role="status">
          {hint}
        </p>
      )}
      <dl className="metrics">
        <Traffic
          label="Received"
          bytes={metrics.bytesIn}
          frames={metrics.framesIn}
          bytesPerSec={metrics.bytesInPerSec}
          cut={metrics.framesCut}
        />
        <Traffic
          label="Sent"
          bytes={metrics.bytesOut}
          frames={metrics.framesOut}
          bytesPerSec={metrics.bytesOutPerSec}
        />
      </dl>
      <RecordControl port={port} />
      <PortPolls polls={port.polls ?? []} />
      {url && (
        <p className="port-url">
          <span className="label">WebSocket</span> <code>{url}</code>
          <CopyButton text={url} label={`URL of ${port.id}`} />
        </p>
      )}
      <div className="card-actions">
        <OpenCloseButton
          state={port.state}
          busy={action.busy}
          onOpen={() => void open()}
          onClose={() => void close()}
        />
        <ReleaseButton
          portId={port.id}
          state={port.state}
          busy={action.busy}
          onRelease={(seconds) => void release(seconds)}
          onNothingToRelease={() =>
            action.show({ kind: 'failed', text: `${port.path} was closed meanwhile: not released` })
          }
        />
        <button type="button" onClick={onShowStream}>
          Stream
        </button>
        <button type="button" onClick={onShowPlot}>
          Plot
        </button>
        <button type="button" onClick={onShowConnect}>
          Connect a tool
        </button>
        <button type="button" onClick={onEdit}>
          Edit
        </button>
        {confirmRemove ? (
          <span className="confirm">
            Remove {port.id}?{' '}
            <button type="button" className="danger" onClick={() => void remove()}>
              Remove port
            </button>
            <button type="button" onClick={() => setConfirmRemove(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setConfirmRemove(true)}>
            Remove
          </button>
        )}
      </div>
      <ActionMessage status={action.status} />
    </article>
  )
}
