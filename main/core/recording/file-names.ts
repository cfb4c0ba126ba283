/**
 * One file per port per rotation, named by the UTC time it was started:
 * `2026-11-23T09-15-02Z.jsonl`; a second file in the same second gets `-2`, and so on.
 */
const NAME = /^(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)Z(?:-(\d+))?\.jsonl$/

export function recordingFileName(startMs: number, n = 1): string {
  const stamp = new Date(startMs).toISOString().slice(0, 19).replace(/:/g, '-')
  return `${stamp}Z${n > 1 ? `-${n}` : ''}.jsonl`
}

/** The start time and sequence a file name says, or null for files that are not recordings. */
export function parseRecordingFileName(name: string): { startMs: number; n: number } | null {
  const m = NAME.exec(name)
  if (!m) return null
  const startMs = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`)
  return Number.isNaN(startMs) ? null : { startMs, n: m[5] ? Number(m[5]) : 1 }
}

/** Oldest first. */
export function compareRecordingNames(a: string, b: string): number {
  const pa = parseRecordingFileName(a)
  const pb = parseRecordingFileName(b)
  if (!pa || !pb) return a.localeCompare(b)
  return pa.startMs - pb.startMs || pa.n - pb.n
}

/** Local calendar day, for daily rotation at the computer's midnight. */
export function localDay(ms: number): number {
  const d = new Date(ms)
  return d.getFullYear() * 10_000 + (d.getMonth() + 1) * 100 + d.getDate()
}
