/**
 * One way to write a time everywhere in the UI: 24-hour, like the lab's instruments and
 * logs, with the date in front when it is not today (a long run crosses midnight).
 */
const two = (n: number): string => String(n).padStart(2, '0')

export function formatDate(d: Date): string {
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`
}

export function formatClock(d: Date, millis = false): string {
  const clock = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
  return millis ? `${clock}.${String(d.getMilliseconds()).padStart(3, '0')}` : clock
}

/** `14:03:07`, or `2026-11-30 14:03:07` when that is not today (`now`'s day). */
export function formatTime(
  at: number | string,
  { now = Date.now(), millis = false }: { now?: number; millis?: boolean } = {},
): string {
  const d = new Date(at)
  if (Number.isNaN(d.getTime())) return String(at)
  const today = formatDate(new Date(now)) === formatDate(d)
  return today ? formatClock(d, millis) : `${formatDate(d)} ${formatClock(d, millis)}`
}

/** The full date and time, for saved files: `2026-11-30 14:03:07.125`. */
export const formatTimestamp = (at: number): string =>
  `${formatDate(new Date(at))} ${formatClock(new Date(at), true)}`
