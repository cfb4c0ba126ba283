import { useState } from 'react'
import type { PortInfo } from '../../../common/engine-api'
import { useServices } from '../app-state/bridge-context'
import { ActionMessage } from '../shared/action-message'
import { fileStamp } from '../shared/file-stamp'
import { formatValue, plural } from '../shared/format-number'
import { PortSelect } from '../shared/port-select'
import { StateBadge } from '../shared/state-badge'
import { useAction } from '../shared/use-action'
import type { ChannelReadout } from './downsample'
import { channelColor, PlotChart } from './plot-chart'
import { plotCsv } from './plot-csv'
import { MAX_PLOT_CHANNELS, PLOT_WINDOWS } from './plot-windows'
import type { PortSeries } from './port-series'
import { usePlotLayout } from './use-plot-layout'

export interface PlotViewProps {
  ports: PortInfo[]
  selected: string | null
  onSelect: (portId: string) => void
}

/** A paused view: a copy of the series as it was, and the moment it stopped at. */
interface Paused {
  port: string
  series: PortSeries
  at: number
}

/** The selected port's numbers as curves over time, with a readout and CSV export. */
export function PlotView({ ports, selected, onSelect }: PlotViewProps) {
  const { bridge, plots } = useServices()
  const port = ports.find((p) => p.id === selected) ?? ports[0] ?? null
  usePlotLayout(plots, port?.id ?? null)
  const [windowIndex, setWindowIndex] = useState(0)
  const [pause, setPause] = useState<Paused | null>(null)
  const [hiddenByPort, setHiddenByPort] = useState<Record<string, string[]>>({})
  const [readouts, setReadouts] = useState<Array<ChannelReadout | null>>([])
  const action = useAction()

  if (!port) {
    return (
      <div className="view">
        <div className="empty panel">
          <p>No ports yet. Add one under Ports (the simulated device plots at once).</p>
        </div>
      </div>
    )
  }

  const live = plots.of(port.id)
  const paused = pause && pause.port === port.id ? pause : null
  const source = paused?.series ?? live
  const hidden = new Set(hiddenByPort[port.id] ?? [])
  const channels = source.channels
  const span = PLOT_WINDOWS[windowIndex]!
  const parses = port.settings.parse.mode !== 'none'

  const toggle = (name: string, show: boolean) =>
    setHiddenByPort((h) => {
      const rest = (h[port.id] ?? []).filter((n) => n !== name)
      return { ...h, [port.id]: show ? rest : [...rest, name] }
    })
  const exportCsv = () =>
    action.run('Saving…', async () => {
      const to = paused?.at ?? Math.max(Date.now(), source.lastTs)
      const shown = channels.flatMap((c, i) => (hidden.has(c.name) ? [] : [i]))
      const csv = plotCsv(source.tiers[windowIndex]!, channels, shown, to - span.ms, to)
      const where = await bridge.saveText(`${port.id}-plot-${fileStamp(new Date())}.csv`, csv.text)
      if (where === null) return { ok: true, text: 'Save cancelled' }
      const per = csv.bucketMs === null ? '' : ` (mean, min and max per ${csv.bucketMs} ms)`
      return { ok: true, text: `Saved ${plural(csv.rows, 'row')}${per} to ${where}` }
    })

  return (
    <div className="view plot-view">
      <div className="toolbar">
        <PortSelect ports={ports} value={port.id} onSelect={onSelect} />
        <StateBadge state={port.state} />
        <span className="spacer" />
        <div role="group" aria-label="Time window" className="segmented">
          {PLOT_WINDOWS.map((w, i) => (
            <button
              key={w.label}
              type="button"
              aria-pressed={i === windowIndex}
              onClick={() => setWindowIndex(i)}
            >
              {w.label}
            </button>
          ))}
        </div>
        <button
          type="button"
          onClick={() =>
            setPause(
              paused
                ? null
                : { port: port.id, series: live.clone(), at: Math.max(Date.now(), live.lastTs) },
            )
          }
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button
          type="button"
          onClick={() => {
            plots.clear(port.id)
            setPause(null)
          }}
        >
          Clear
        </button>
        <button
          type="button"
          disabled={channels.length === 0 || action.busy}
          onClick={() => void exportCsv()}
        >
          Export shown as CSV
        </button>
        <ActionMessage status={action.status} />
      </div>
      {paused && (
        <p className="paused-note">
          Paused at {new Date(paused.at).toLocaleTimeString()}: new numbers are kept, Resume shows
          them.
        </p>
      )}
      {channels.length === 0 ? (
        <div className="empty panel">
          {parses ? (
            <p>
              Waiting for numbers from {port.id}
              {port.state === 'open' ? '…' : ': open the port to see them.'}
            </p>
          ) : (
            <p>
              {port.id} sends text, not numbers yet. Choose how its frames become numbers under
              Ports → Edit → Numbers (e.g. <code>key=value</code> for <code>T=22.4,RH=45</code>).
            </p>
          )}
        </div>
      ) : (
        <>
          <PlotChart
            label={`Plot of ${port.id} over ${span.label}`}
            store={plots}
            source={source}
            endAt={paused?.at ?? null}
            windowIndex={windowIndex}
            hidden={hidden}
            onReadout={setReadouts}
          />
          <table className="data-table plot-readout" aria-label={`Channels of ${port.id}`}>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Last</th>
                <th scope="col">Min</th>
                <th scope="col">Max</th>
                <th scope="col">Samples shown</th>
              </tr>
            </thead>
            <tbody>
              {channels.map((c, i) => {
                const r = readouts[i] ?? null
                const unit = c.unit ? ` ${c.unit}` : ''
                const show = (v: number | undefined) => (r ? `${formatValue(v!)}${unit}` : '–')
                return (
                  <tr key={c.name}>
                    <th scope="row">
                      <label className="inline-check">
                        <input
                          type="checkbox"
                          checked={!hidden.has(c.name)}
                          onChange={(e) => toggle(c.name, e.target.checked)}
                        />
                        <span className="swatch" style={{ background: channelColor(i) }} />
                        {c.name}
                      </label>
                    </th>
                    <td>{show(r?.last)}</td>
                    <td>{show(r?.min)}</td>
                    <td>{show(r?.max)}</td>
                    <td>{(r?.count ?? 0).toLocaleString('en-US')}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          {live.skipped.size > 0 && (
            <p className="muted">
              Not plotted (at most {MAX_PLOT_CHANNELS} channels per port):{' '}
              {[...live.skipped].join(', ')}
            </p>
          )}
        </>
      )}
    </div>
  )
}
