import { useEffect, useState } from 'react'
import type { PortInfo } from '../../../common/engine-api'
import type { RecordingStatus } from '../../../common/protocol'
import { useBridge } from '../app-state/bridge-context'
import { ActionMessage } from '../shared/action-message'
import { formatBytes } from '../shared/format-number'
import { outcomeOf, useAction } from '../shared/use-action'
import { formatDuration } from './format-duration'
import { startDownload } from './start-download'

/** While recording, size and duration refresh this often. */
const REFRESH_MS = 1000

const LABELS: Record<RecordingStatus['state'], string> = {
  off: 'Not recording',
  recording: 'Recording',
  error: 'Recording stopped',
}

/**
 * A port's Record toggle: its state, file size and duration, and where the file is (the
 * folder on the desktop, a download in the browser). Shown on the port card and in Stream.
 */
export function RecordControl({ port }: { port: PortInfo }) {
  const bridge = useBridge()
  // "Recording demo" describes the state: it goes when the state moves on (e.g. to error).
  const action = useAction(port.recording?.state ?? 'off')
  const [live, setLive] = useState<RecordingStatus | null>(null)
  const [now, setNow] = useState(() => Date.now())
  const enabled = port.settings.record.enabled
  const recording = (enabled ? live : null) ?? port.recording

  useEffect(() => {
    setLive(null)
    if (!enabled) return
    const timer = setInterval(() => {
      setNow(Date.now())
      void bridge.listPorts().then(
        (ports) => setLive(ports.find((p) => p.id === port.id)?.recording ?? null),
        () => undefined,
      )
    }, REFRESH_MS)
    return () => clearInterval(timer)
  }, [bridge, enabled, port.id])

  const toggle = () =>
    action.run(enabled ? 'Stopping the recording…' : 'Starting to record…', async () => {
      const r = await bridge.setRecording(port.id, !enabled)
      return outcomeOf(r, enabled ? `${port.id} is no longer recorded` : `Recording ${port.id}`)
    })
  const openFolder = () =>
    action.run('Opening the folder…', async () =>
      outcomeOf(await bridge.openRecordingsFolder(port.id), 'Opened the recordings folder'),
    )
  const download = (file: string) =>
    action.run('Preparing the download…', async () => {
      const r = await bridge.downloadRecording(file)
      if (r.ok) startDownload(r.value.url)
      return outcomeOf(r, `Downloading ${file}`)
    })

  const state = recording?.state ?? 'off'
  return (
    <div className="record-control" role="group" aria-label={`Recording of ${port.id}`}>
      <button
        type="button"
        className={enabled ? 'danger' : undefined}
        aria-pressed={enabled}
        disabled={action.busy}
        onClick={() => void toggle()}
      >
        {enabled ? 'Stop recording' : 'Record'}
      </button>
      <span className={`record-state record-${state}`}>
        <span className="record-dot" aria-hidden="true" /> {LABELS[state]}
      </span>
      {recording && recording.state !== 'off' && (
        <span className="record-numbers">
          {formatBytes(recording.bytes)}
          {recording.since && ` · ${formatDuration(now - Date.parse(recording.since))}`}
          {recording.dropped > 0 && ` · ${recording.dropped} frames dropped`}
        </span>
      )}
      {bridge.kind === 'electron' ? (
        <button type="button" className="link" onClick={() => void openFolder()}>
          Open folder
        </button>
      ) : (
        recording?.file && (
          <button type="button" className="link" onClick={() => void download(recording.file!)}>
            Download {recording.file.split('/').pop()}
          </button>
        )
      )}
      {recording?.error && (
        <p className="record-error" role="alert">
          {recording.error}. Recording resumes by itself when writing works again.
        </p>
      )}
      <ActionMessage status={action.status} />
    </div>
  )
}
