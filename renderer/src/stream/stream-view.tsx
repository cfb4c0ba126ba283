import { useId, useMemo, useState } from 'react'
import type { PortInfo } from '../../../common/engine-api'
import type { StreamFrame } from '../../../common/contract'
import { useServices } from '../app-state/bridge-context'
import { RecordControl } from '../recording/record-control'
import { ActionMessage } from '../shared/action-message'
import { fileStamp } from '../shared/file-stamp'
import { plural } from '../shared/format-number'
import { OpenCloseButton } from '../ports/open-close-button'
import { PortSelect } from '../shared/port-select'
import { StateBadge } from '../shared/state-badge'
import { outcomeOf, useAction } from '../shared/use-action'
import { frameLine, matchesFilter, type ViewMode } from './format-frame'
import { SavedCommands } from './saved-commands'
import { SendBox } from './send-box'
import { StreamList, type FrameWindow } from './stream-list'
import { useStoreVersion } from './use-store-version'

export interface StreamViewProps {
  ports: PortInfo[]
  selected: string | null
  onSelect: (portId: string) => void
}

/** Live data of one port. Frames live in the FrameStore; this view reads them once per frame. */
export function StreamView({ ports, selected, onSelect }: StreamViewProps) {
  const { bridge, frames } = useServices()
  const version = useStoreVersion(frames)
  const port = ports.find((p) => p.id === selected) ?? ports[0] ?? null
  const [mode, setMode] = useState<ViewMode>('text')
  const [timestamps, setTimestamps] = useState(true)
  const [follow, setFollow] = useState(true)
  const [pause, setPause] = useState<{ port: string; frames: StreamFrame[]; total: number } | null>(
    null,
  )
  const [filter, setFilter] = useState('')
  const action = useAction()
  const portAction = useAction(port ? [port.id, port.state] : null)
  const ids = { filter: useId() }
  const encoding = port?.settings.encoding ?? 'utf8'
  const ring = port ? frames.ring(port.id) : null
  const paused = pause && pause.port === port?.id ? pause : null

  const shown: FrameWindow = useMemo(() => {
    const source: FrameWindow = paused
      ? { count: paused.frames.length, get: (i) => paused.frames[i] }
      : ring
        ? { count: ring.length, get: (i) => ring.at(i) }
        : { count: 0, get: () => undefined }
    if (!filter) return source
    const hits: StreamFrame[] = []
    for (let i = 0; i < source.count; i++) {
      const frame = source.get(i)!
      if (matchesFilter(frame, filter, mode, encoding)) hits.push(frame)
    }
    return { count: hits.length, get: (i) => hits[i] }
    // `version` is listed because the ring changes in place.
  }, [paused, ring, filter, mode, encoding, version])

  if (!port) {
    return (
      <div className="view">
        <div className="empty panel">
          <p>No ports yet. Add one under Ports (the simulated device shows data at once).</p>
        </div>
      </div>
    )
  }

  const behind = paused && ring ? Math.max(0, ring.total - paused.total) : 0
  const lines = () => {
    const out: string[] = []
    for (let i = 0; i < shown.count; i++)
      out.push(frameLine(shown.get(i)!, { mode, encoding, timestamps }))
    return out
  }
  const save = () =>
    action.run('Saving…', async () => {
      const text = lines()
      const where = await bridge.saveText(
        `${port.id}-${fileStamp(new Date())}.txt`,
        text.join('\n') + '\n',
      )
      return where === null
        ? { ok: true, text: 'Save cancelled' }
        : { ok: true, text: `Saved ${plural(text.length, 'line')} to ${where}` }
    })
  const open = () =>
    portAction.run(`Opening ${port.path}…`, async () => {
      const r = await bridge.openPort(port.id)
      return outcomeOf(r, `${port.path} is open`)
    })
  const close = () =>
    portAction.run(`Closing ${port.path}…`, async () => {
      const r = await bridge.closePort(port.id)
      return outcomeOf(r, `${port.path} is closed`)
    })

  return (
    <div className="view stream-view">
      <div className="toolbar">
        <PortSelect ports={ports} value={port.id} onSelect={onSelect} />
        <StateBadge state={port.state} />
        <OpenCloseButton
          state={port.state}
          busy={portAction.busy}
          onOpen={() => void open()}
          onClose={() => void close()}
        />
        <ActionMessage status={portAction.status} />
        <RecordControl port={port} />
        <span className="spacer" />
        <div role="group" aria-label="Show as" className="segmented">
          <button type="button" aria-pressed={mode === 'text'} onClick={() => setMode('text')}>
            Text
          </button>
          <button type="button" aria-pressed={mode === 'hex'} onClick={() => setMode('hex')}>
            Hex
          </button>
        </div>
        <label className="inline-check">
          <input
            type="checkbox"
            checked={timestamps}
            onChange={(e) => setTimestamps(e.target.checked)}
          />
          Timestamps
        </label>
        <label className="inline-check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          Follow
        </label>
      </div>
      <div className="toolbar">
        <button
          type="button"
          onClick={() =>
            setPause(
              paused || !ring ? null : { port: port.id, frames: ring.toArray(), total: ring.total },
            )
          }
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button
          type="button"
          onClick={() => {
            frames.clear(port.id)
            if (paused) setPause({ port: port.id, frames: [], total: 0 })
          }}
        >
          Clear
        </button>
        <label htmlFor={ids.filter} className="inline-label">
          Filter
        </label>
        <input
          id={ids.filter}
          type="search"
          value={filter}
          placeholder="text to look for"
          onChange={(e) => setFilter(e.target.value)}
        />
        <button type="button" onClick={() => void save()} disabled={action.busy}>
          Save shown lines
        </button>
        <ActionMessage status={action.status} />
      </div>
      <p className="stream-info" aria-live="off">
        <span>{plural(shown.count, 'line')} shown</span>
        {paused && (
          <span className="paused-note">Paused: {plural(behind, 'new frame')} not shown</span>
        )}
        {ring && ring.dropped > 0 && (
          <span className="muted">
            Keeping the last {ring.capacity.toLocaleString()} frames (older ones dropped)
          </span>
        )}
        {frames.droppedByHost > 0 && (
          <span className="warning">
            {plural(frames.droppedByHost, 'frame')} dropped because the view fell behind
          </span>
        )}
        <span className="legend">
          <span className="rx">← received</span> <span className="tx">→ sent</span>
        </span>
      </p>
      <StreamList
        label={`Data of ${port.id}`}
        frames={shown}
        version={version}
        mode={mode}
        encoding={encoding}
        timestamps={timestamps}
        follow={follow && paused === null}
      />
      <SavedCommands port={port} />
      <SendBox key={port.id} port={port} />
    </div>
  )
}
