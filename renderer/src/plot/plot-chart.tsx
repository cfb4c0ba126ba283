import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import { ColumnDownsampler, type ChannelReadout } from './downsample'
import type { PlotStore } from './plot-store'
import { PLOT_WINDOWS } from './plot-windows'
import type { PortSeries } from './port-series'

/** Curve colours, one per channel in order (distinct for common colour blindness first). */
export const CHANNEL_COLORS = [
  '#1f5fbf',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#8a6d00',
  '#56b4e9',
  '#6a3d9a',
  '#b42318',
] as const
export const channelColor = (i: number) => CHANNEL_COLORS[i % CHANNEL_COLORS.length]!

/** The readout is text for people: a few updates a second are plenty and cost React little. */
const READOUT_MS = 250
const HEIGHT = 360

export interface PlotChartProps {
  label: string
  store: PlotStore
  /** The live series, or a copy while paused. */
  source: PortSeries
  /** The span's end while paused; null: now. */
  endAt: number | null
  windowIndex: number
  hidden: ReadonlySet<string>
  onReadout: (readouts: Array<ChannelReadout | null>) => void
}

/** The chart's span and y range, read by uPlot's range functions at each draw. */
interface View {
  from: number
  to: number
  yMin: number
  yMax: number
}

/**
 * The curves, drawn by uPlot on a canvas. Data never passes through React: an animation-frame
 * loop reads the series, downsamples it for the pixels there are, and calls `setData` at most
 * once per frame, and only when the data or the span moved by a pixel column.
 */
export function PlotChart(props: PlotChartProps) {
  const box = useRef<HTMLDivElement>(null)
  const latest = useRef(props)
  latest.current = props
  const { source } = props
  const layoutKey = source.channels.map((c) => `${c.name} ${c.unit ?? ''}`).join('|')

  useEffect(() => {
    const el = box.current!
    const view: View = { from: 0, to: 1, yMin: 0, yMax: 1 }
    const channels = latest.current.source.channels
    const plot = new uPlot(
      {
        width: Math.max(100, el.clientWidth),
        height: HEIGHT,
        ms: 1,
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        scales: {
          x: { time: true, range: () => [view.from, view.to] },
          y: { range: () => [view.yMin, view.yMax] },
        },
        axes: [
          { stroke: '#5d6875', grid: { stroke: '#e6e9ee' } },
          { stroke: '#5d6875', grid: { stroke: '#e6e9ee' }, size: 60 },
        ],
        series: [
          {},
          ...channels.map((c, i) => ({
            label: c.name,
            stroke: channelColor(i),
            width: 1.5,
            // NaN marks a column without this channel: the line goes on to its next point.
            spanGaps: true,
            points: { show: false },
          })),
        ],
      },
      [new Float64Array(0), ...channels.map(() => new Float64Array(0))],
      el,
    )
    const downsampler = new ColumnDownsampler()
    let drawn = { version: -1, source: null as PortSeries | null, window: -1, hidden: '', to: 0 }
    let width = plot.bbox.width / devicePixelRatio
    let readoutAt = 0
    let readout: Array<ChannelReadout | null> | null = null
    let frame = 0

    const draw = () => {
      frame = requestAnimationFrame(draw)
      const p = latest.current
      const now = performance.now()
      if (readout && now - readoutAt >= READOUT_MS) {
        readoutAt = now
        p.onReadout(readout)
        readout = null
      }
      const span = PLOT_WINDOWS[p.windowIndex]!.ms
      const to = p.endAt ?? Math.max(Date.now(), p.source.lastTs)
      const hidden = [...p.hidden].join('|')
      const perColumn = span / Math.max(1, width)
      const same =
        drawn.version === p.store.version &&
        drawn.source === p.source &&
        drawn.window === p.windowIndex &&
        drawn.hidden === hidden
      if (same && to - drawn.to < perColumn) return
      drawn = { version: p.store.version, source: p.source, window: p.windowIndex, hidden, to }
      const points = downsampler.run(p.source.tiers[p.windowIndex]!, to - span, to, width)
      view.from = to - span
      view.to = to
      const shown = points.readouts.filter((r, i) => r && !p.hidden.has(channels[i]!.name))
      Object.assign(view, yRange(shown as ChannelReadout[]))
      channels.forEach((c, i) => {
        const show = !p.hidden.has(c.name)
        if (plot.series[i + 1]!.show !== show) plot.setSeries(i + 1, { show })
      })
      plot.setData([points.x, ...points.y.slice(0, channels.length)])
      readout = points.readouts
    }
    frame = requestAnimationFrame(draw)

    const resize = new ResizeObserver(() => {
      plot.setSize({ width: Math.max(100, el.clientWidth), height: HEIGHT })
      width = plot.bbox.width / devicePixelRatio
      drawn = { ...drawn, version: -1 }
    })
    resize.observe(el)
    return () => {
      cancelAnimationFrame(frame)
      resize.disconnect()
      plot.destroy()
    }
    // A new channel or unit makes a new chart; everything else is read per frame.
  }, [layoutKey])

  return <div className="plot-chart" ref={box} role="img" aria-label={props.label} />
}

/** The shown channels' range with a margin; a flat line gets room above and below. */
function yRange(readouts: ChannelReadout[]): { yMin: number; yMax: number } {
  if (readouts.length === 0) return { yMin: 0, yMax: 1 }
  let min = Infinity
  let max = -Infinity
  for (const r of readouts) {
    if (r.min < min) min = r.min
    if (r.max > max) max = r.max
  }
  const pad = max > min ? (max - min) * 0.05 : Math.abs(max) * 0.05 || 1
  return { yMin: min - pad, yMax: max + pad }
}
