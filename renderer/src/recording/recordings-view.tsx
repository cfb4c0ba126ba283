import { useCallback, useEffect, useState } from 'react'
import type { PortInfo, RecordingFile, RecordingList } from '../../../common/engine-api'
import { SIM_REPLAY_PATH } from '../../../common/sim-paths'
import { useBridge } from '../app-state/bridge-context'
import { formatBytes } from '../shared/format-number'
import { formatTime } from '../shared/format-time'
import { TableSection } from '../shared/table-section'
import { errorText, outcomeOf, useAction } from '../shared/use-action'
import { startDownload } from './start-download'

const COLUMNS = ['Port', 'Started', 'Ended', 'Size', 'Frames']

/** Recordings on disk, per port: open or download, export to CSV, delete, replay. */
export function RecordingsView({ ports }: { ports: PortInfo[] }) {
  const bridge = useBridge()
  const action = useAction()
  const [list, setList] = useState<RecordingList | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [confirming, setConfirming] = useState<string | null>(null)

  const load = useCallback(async () => {
    try {
      const r = await bridge.listRecordings()
      if (r.ok) setList(r.value)
      setLoadError(r.ok ? null : r.errors.join('; '))
    } catch (error) {
      setLoadError(errorText(error))
    }
  }, [bridge])
  useEffect(() => void load(), [load])

  const download = async (file: string) => {
    const r = await bridge.downloadRecording(file)
    if (r.ok) startDownload(r.value.url)
    return r
  }
  const open = (f: RecordingFile) =>
    action.run('Opening…', async () =>
      bridge.kind === 'electron'
        ? outcomeOf(await bridge.openRecordingsFolder(f.port), 'Opened the folder')
        : outcomeOf(await download(f.file), `Downloading ${f.file}`),
    )
  const exportCsv = (f: RecordingFile) =>
    action.run(`Exporting ${f.file}…`, async () => {
      const r = await bridge.exportRecordingCsv(f.file)
      if (!r.ok) return outcomeOf(r, '')
      const done = `Exported ${r.value.rows.toLocaleString('en-US')} rows to ${r.value.file}`
      if (bridge.kind === 'web') return outcomeOf(await download(r.value.file), done)
      return { ok: true, text: `${done} (in the recordings folder)` }
    })
  const remove = (f: RecordingFile) =>
    action.run(`Deleting ${f.file}…`, async () => {
      setConfirming(null)
      const r = await bridge.deleteRecording(f.file)
      await load()
      return outcomeOf(r, `Deleted ${f.file}`)
    })
  const replay = (f: RecordingFile) =>
    action.run(`Replaying ${f.file}…`, async () => {
      const id = `replay-${f.port}`.slice(0, 64)
      const existing = ports.find((p) => p.id === id)
      const replaySettings = { file: f.file, speed: 1 as const }
      const saved = existing
        ? await bridge.updatePort(id, { ...existing.settings, replay: replaySettings })
        : await bridge.addPort({ id, path: SIM_REPLAY_PATH, replay: replaySettings })
      if (!saved.ok) return outcomeOf(saved, '')
      const opened = await bridge.openPort(id)
      return outcomeOf(opened, `Replaying ${f.file} as port ${id}: see Stream`)
    })

  return (
    <div className="view recordings-view">
      <div className="toolbar">
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
        {list && (
          <span className="muted">
            Folder: <code>{list.dir}</code>
          </span>
        )}
        {bridge.kind === 'electron' && (
          <button
            type="button"
            className="link"
            onClick={() => void bridge.openRecordingsFolder(null)}
          >
            Open folder
          </button>
        )}
      </div>
      {loadError && (
        <p className="banner error" role="alert">
          Could not list the recordings: {loadError}
        </p>
      )}
      <TableSection
        heading="Recordings"
        status={action.status}
        columns={COLUMNS}
        empty={
          <p className="muted empty panel">
            No recordings yet. Press Record on a port (under Ports or Stream) to start one.
          </p>
        }
        rows={(list?.files ?? []).map((f) => (
          <tr key={f.file} aria-label={`Recording ${f.file}`}>
            <td>
              <strong>{f.port}</strong>
              <br />
              <span className="muted">{f.file.split('/').pop()}</span>
              {f.recording && <span className="record-state record-recording"> recording now</span>}
            </td>
            <td className="nowrap">{formatTime(f.start)}</td>
            <td className="nowrap">{formatTime(f.end)}</td>
            <td className="nowrap">{formatBytes(f.bytes)}</td>
            <td>{f.frames.toLocaleString('en-US')}</td>
            <td className="row-actions">
              <button type="button" onClick={() => void open(f)}>
                {bridge.kind === 'electron' ? 'Open folder' : 'Download'}
              </button>
              <button type="button" onClick={() => void exportCsv(f)}>
                Export CSV
              </button>
              <button type="button" onClick={() => void replay(f)}>
                Replay
              </button>
              {confirming === f.file ? (
                <span className="confirm">
                  Delete it?{' '}
                  <button type="button" className="danger" onClick={() => void remove(f)}>
                    Delete recording
                  </button>
                  <button type="button" onClick={() => setConfirming(null)}>
                    Keep
                  </button>
                </span>
              ) : (
                <button type="button" disabled={f.recording} onClick={() => setConfirming(f.file)}>
                  Delete
                </button>
              )}
            </td>
          </tr>
        ))}
      />
    </div>
  )
}
