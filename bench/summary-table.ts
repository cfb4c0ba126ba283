import { CLIENT_BUFFER_BYTES } from './bench-rig'
import { S8_FLAT_HEAP_MIB } from './scenarios/s8-ui'
import { S9_FLAT_HEAP_MIB } from './scenarios/s9-plot'
import { MiB, type Metrics } from './scenario'
import type { TargetName } from './target-process'

/** Issue 4's targets, row by row, and the table that compares the bridge with the baseline. */
export type Results = Map<string, Partial<Record<TargetName, Metrics>>>

type Value = number | string | boolean | null | undefined

interface Row {
  scenario: string
  key: string
  target: string
  /** Absent: the row is information only. Null: cannot tell (e.g. no baseline figure). */
  met?: (bridge: Value, ratio: number | null, results: Results) => boolean | null
  /** The baseline cannot measure this (S8: it has no UI); its column says so. */
  noBaseline?: boolean
  /** A difference of two times, which can be 0 or negative: a ratio of two would mean nothing. */
  noRatio?: boolean
}

const num = (v: Value) => (typeof v === 'number' ? v : NaN)
const zero = (v: Value) => v === 0
const slowLimitMiB = CLIENT_BUFFER_BYTES / MiB + 16

const rows: Row[] = [
  {
    scenario: 'S1',
    key: 'p99Ms',
    target: '≤ 1.2× baseline',
    met: (_, r) => (r === null ? null : r <= 1.2),
  },
  { scenario: 'S1', key: 'maxMs', target: '' },
  { scenario: 'S1', key: 'lost', target: '0', met: zero },
  { scenario: 'S1', key: 'outOfOrder', target: '0', met: zero },
  {
    scenario: 'S2/1',
    key: 'mbPerSecPerClient',
    target: '≥ 1.0× baseline',
    met: (_, r) => (r === null ? null : r >= 1.0),
  },
  { scenario: 'S2/1', key: 'lost', target: '' },
  {
    scenario: 'S2/10',
    key: 'mbPerSecPerClient',
    target: '≥ 1.3× baseline',
    met: (_, r) => (r === null ? null : r >= 1.3),
  },
  { scenario: 'S2/10', key: 'lost', target: '' },
  { scenario: 'S3/200', key: 'p99Ms', target: '' },
  { scenario: 'S3/200', key: 'completenessPct', target: '' },
  { scenario: 'S3/200', key: 'cpuSeconds', target: '' },
  { scenario: 'S3/200', key: 'peakRssMiB', target: '' },
  { scenario: 'S3/1000', key: 'completenessPct', target: '100 %', met: (b) => b === 100 },
  { scenario: 'S3/1000', key: 'p99Ms', target: '≤ 10 ms', met: (b) => num(b) <= 10 },
  {
    scenario: 'S3/1000',
    key: 'cpuSeconds',
    target: '≤ 0.8× baseline',
    met: (_, r) => (r === null ? null : r <= 0.8),
  },
  { scenario: 'S3/1000', key: 'peakRssMiB', target: '' },
  { scenario: 'S4', key: 'perClientKiB', target: '≤ 4 KiB', met: (b) => num(b) <= 4 },
  { scenario: 'S4', key: 'heapPerClientKiB', target: '' },
  {
    scenario: 'S5',
    key: 'growthMiB',
    target: `≤ ${slowLimitMiB} MiB`,
    met: (b) => num(b) <= slowLimitMiB,
  },
  {
    scenario: 'S5',
    key: 'slowOutcome',
    target: 'lagged or 1013',
    met: (b) => /lagged|1013/.test(String(b)),
  },
  {
    scenario: 'S5',
    key: 'othersP99Ms',
    target: '≤ 1.5× own S1 p99',
    met: (b, _, results) => {
      const s1 = results.get('S1')?.bridge?.p99Ms
      return typeof s1 === 'number' ? num(b) <= 1.5 * s1 : null
    },
  },
  { scenario: 'S5', key: 'othersLost', target: '' },
  { scenario: 'S5', key: 'othersCalmP50Ms', target: '' },
  {
    scenario: 'S5',
    key: 'othersCalmP99Ms',
    target: '≤ 1.5× baseline',
    met: (_, r) => (r === null ? null : r <= 1.5),
  },
  { scenario: 'S5', key: 'othersCalmP999Ms', target: '' },
  { scenario: 'S5', key: 'othersCalmMaxMs', target: '' },
  { scenario: 'S5', key: 'rssAfterDrainMiB', target: '' },
  { scenario: 'S6', key: 'pacedLost', target: '0', met: zero },
  { scenario: 'S6', key: 'burstLost', target: '0', met: zero },
  { scenario: 'S6', key: 'pacedCorrupt', target: '0', met: zero },
  { scenario: 'S6', key: 'burstCorrupt', target: '0', met: zero },
  { scenario: 'S6', key: 'burstOutOfOrder', target: '0', met: zero },
  {
    scenario: 'S6',
    key: 'pacedP99Ms',
    target: '≤ 1.2× baseline',
    met: (_, r) => (r === null ? null : r <= 1.2),
  },
  { scenario: 'S6', key: 'burstP99Ms', target: '' },
  {
    scenario: 'S7',
    key: 'singleP99Ms',
    target: '≤ 2 ms + instrument',
    met: (b, _, results) =>
      num(b) <= 2 + (num(results.get('S7')?.bridge?.instrumentDelayP99Ms) || 0),
  },
  { scenario: 'S7', key: 'serialP99Ms', target: '' },
  {
    scenario: 'S7',
    key: 'overSerialP99Ms',
    target: '≤ 2 ms over the bare serial round trip',
    noRatio: true,
    met: (b) => num(b) <= 2,
  },
  { scenario: 'S7', key: 'multiP99Ms', target: '' },
  { scenario: 'S7', key: 'misrouted', target: '0', met: zero },
  { scenario: 'S7', key: 'timeouts', target: '0', met: zero },
  ...s8Rows(),
  { scenario: 'S12', key: 'lost', target: '0', met: zero },
  { scenario: 'S12', key: 'duplicates', target: '0', met: zero },
  { scenario: 'S12', key: 'outOfOrder', target: '0', met: zero },
  { scenario: 'S12', key: 'cuts', target: '' },
  { scenario: 'S12', key: 'steadyP99Ms', target: '' },
  { scenario: 'S12', key: 'addedP99Ms', target: '', noRatio: true },
  { scenario: 'S12', key: 'replayedP99Ms', target: '' },
  { scenario: 'S12', key: 'reconnectP99Ms', target: '' },
  { scenario: 'S12', key: 'catchUpP99Ms', target: '', noBaseline: true, noRatio: true },
  { scenario: 'S13', key: 'p50Ms', target: '' },
  {
    scenario: 'S13',
    key: 'p99Ms',
    target: '≤ 1.2× baseline',
    met: (_, r) => (r === null ? null : r <= 1.2),
  },
  { scenario: 'S13', key: 'maxMs', target: '' },
  { scenario: 'S13', key: 'lost', target: '0', met: zero },
  { scenario: 'S13', key: 'outOfOrder', target: '0', met: zero },
  {
    scenario: 'S1/mqtt',
    key: 'p99Ms',
    target: '≤ 1.1× own S1 p99 (uplink off)',
    noBaseline: true,
    met: (b, _, results) => {
      const s1 = results.get('S1')?.bridge?.p99Ms
      return typeof s1 === 'number' ? num(b) <= 1.1 * s1 : null
    },
  },
  { scenario: 'S1/mqtt', key: 'lost', target: '0', noBaseline: true, met: zero },
  ...s11Rows(),
  ...s9Rows(),
  { scenario: 'S10', key: 'jitterP50Ms', target: '' },
  { scenario: 'S10', key: 'jitterP99Ms', target: '< 1 interval (50 ms)', met: (b) => num(b) < 50 },
  { scenario: 'S10', key: 'jitterMaxMs', target: '' },
  { scenario: 'S10', key: 'skippedPct', target: '' },
  { scenario: 'S10', key: 'tickErrorMax', target: '≤ 1 tick (no drift)', met: (b) => num(b) <= 1 },
  { scenario: 'S10', key: 'misrouted', target: '0', met: zero },
  { scenario: 'S10', key: 'pollTimeouts', target: '0', met: zero },
  { scenario: 'S10', key: 'clientQueries', target: '' },
  { scenario: 'S10', key: 'clientP99Ms', target: '' },
  { scenario: 'Startup', key: 'readyMs', target: '≤ 500 ms', met: (b) => num(b) <= 500 },
  { scenario: 'Startup', key: 'firstLineMs', target: '' },
]

function s8Rows(): Row[] {
  const rows: Row[] = [
    { scenario: 'S8', key: 'fpsMin', target: '≥ 30 every second', met: (b) => num(b) >= 30 },
    { scenario: 'S8', key: 'fpsMean', target: '' },
    { scenario: 'S8', key: 'longestTaskMs', target: '≤ 100 ms', met: (b) => num(b) <= 100 },
    { scenario: 'S8', key: 'worstFrameGapMs', target: '' },
    {
      scenario: 'S8',
      key: 'heapLeftMiB',
      target: `≤ ${S8_FLAT_HEAP_MIB} MiB (flat)`,
      met: (b) => num(b) <= S8_FLAT_HEAP_MIB,
    },
    { scenario: 'S8', key: 'heapEndGcMiB', target: '' },
    { scenario: 'S8', key: 'rendererRssEndMiB', target: '' },
    { scenario: 'S8', key: 'rendererRssClearedGcMiB', target: '' },
    { scenario: 'S8', key: 'framesReachedPct', target: '' },
    { scenario: 'S8', key: 'catchUpMs', target: '' },
  ]
  return rows.map((r) => ({ ...r, noBaseline: true }))
}

/** Recording on against off, both measured by the bridge in the same run (issue 11). */
function s11Rows(): Row[] {
  const rows: Row[] = [
    { scenario: 'S11', key: 's1P99Ratio', target: '≤ 1.1 (on / off)', met: (b) => num(b) <= 1.1 },
    { scenario: 'S11', key: 's1P99OffMs', target: '' },
    { scenario: 'S11', key: 's1P99OnMs', target: '' },
    { scenario: 'S11', key: 's2Ratio', target: '≥ 0.9 (on / off)', met: (b) => num(b) >= 0.9 },
    { scenario: 'S11', key: 's2MbOff', target: '' },
    { scenario: 'S11', key: 's2MbOn', target: '' },
    { scenario: 'S11', key: 'fileMissing', target: '0', met: zero },
    { scenario: 'S11', key: 'fileOutOfOrder', target: '0', met: zero },
    { scenario: 'S11', key: 'fileFrames', target: '' },
  ]
  return rows.map((r) => ({ ...r, noBaseline: true }))
}

/** Issue 8's goals for the Plot view. */
function s9Rows(): Row[] {
  const rows: Row[] = [
    { scenario: 'S9', key: 'drawsMin', target: '≥ 50 every second', met: (b) => num(b) >= 50 },
    { scenario: 'S9', key: 'drawsMean', target: '' },
    { scenario: 'S9', key: 'fpsMin', target: '' },
    { scenario: 'S9', key: 'longestTaskMs', target: '≤ 50 ms', met: (b) => num(b) <= 50 },
    { scenario: 'S9', key: 'worstFrameGapMs', target: '' },
    { scenario: 'S9', key: 'mainThreadBusyPct', target: '' },
    {
      scenario: 'S9',
      key: 'heapGrowthMiB',
      target: `≤ ${S9_FLAT_HEAP_MIB} MiB (flat)`,
      met: (b) => num(b) <= S9_FLAT_HEAP_MIB,
    },
    { scenario: 'S9', key: 'heapEndGcMiB', target: '' },
    { scenario: 'S9', key: 'samplesShown', target: '' },
    { scenario: 'S9', key: 'framesReachedPct', target: '' },
  ]
  return rows.map((r) => ({ ...r, noBaseline: true }))
}

function show(v: Value): string {
  if (v === undefined) return '–'
  if (v === null) return 'n/a'
  return String(v)
}

/** Rows for the scenarios that ran, as text columns ready to print or paste into Markdown. */
export function summaryRows(results: Results): string[][] {
  const out: string[][] = []
  for (const row of rows) {
    const r = results.get(row.scenario)
    if (!r) continue
    const bridge = r.bridge?.[row.key]
    const baseline = r.baseline?.[row.key]
    const ratio =
      !row.noRatio && typeof bridge === 'number' && typeof baseline === 'number' && baseline !== 0
        ? bridge / baseline
        : null
    let verdict = ''
    if (row.met) {
      const met = bridge === undefined ? undefined : row.met(bridge, ratio, results)
      verdict = met === undefined ? 'not run' : met === null ? 'n/a' : met ? 'met' : 'MISSED'
    }
    out.push([
      row.scenario,
      row.key,
      show(bridge),
      row.noBaseline ? 'none' : show(baseline),
      ratio === null ? '' : `${ratio.toFixed(2)}×`,
      row.target,
      verdict,
    ])
  }
  return out
}

/** Per metric: the median of the numbers over repeated runs; otherwise the first run's value. */
export function medianMetrics(runs: Metrics[]): Metrics {
  const out: Metrics = {}
  for (const key of Object.keys(runs[0] ?? {})) {
    const values = runs.map((r) => r[key])
    const nums = values.filter((v): v is number => typeof v === 'number').sort((a, b) => a - b)
    if (nums.length !== values.length || nums.length === 0) {
      out[key] = values[0] ?? null
      continue
    }
    const mid = Math.floor(nums.length / 2)
    out[key] =
      nums.length % 2
        ? (nums[mid] ?? null)
        : Number((((nums[mid - 1] ?? 0) + (nums[mid] ?? 0)) / 2).toPrecision(3))
  }
  return out
}

export const summaryHeader = [
  'scenario',
  'metric',
  'bridge',
  'baseline',
  'ratio',
  'target',
  'verdict',
]

export function formatTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n')
}

export function formatMarkdown(header: string[], body: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n')
}
