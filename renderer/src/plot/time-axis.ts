import { formatClock, formatDate } from '../shared/format-time'

/**
 * The x-axis labels: 24-hour like every other time in the UI (uPlot's default is 12-hour in
 * the browser's locale), `HH:MM` when every tick is on a whole minute, else `HH:MM:SS`; the
 * date under the first tick, and where the day changes, when it is not today.
 */
export function timeAxisLabels(splits: number[], now = Date.now()): string[] {
  const seconds = splits.some((s) => s % 60_000 !== 0)
  const today = formatDate(new Date(now))
  return splits.map((at, i) => {
    const d = new Date(at)
    const clock = seconds ? formatClock(d) : formatClock(d).slice(0, 5)
    const day = formatDate(d)
    const dayChanged = i === 0 || formatDate(new Date(splits[i - 1]!)) !== day
    return dayChanged && day !== today ? `${clock}\n${day}` : clock
  })
}
