import { createReadStream } from 'node:fs'
import { isFrame, parseRecord, type FrameRecord, type RecordLine } from './record-format'

/** What a reader saw besides the records. */
export interface ReadStats {
  records: number
  /** Lines that are not records (corrupt, or cut off before the end of the file). */
  badLines: number
  /** The last line had no newline and was not a record: cut off by a crash, not counted as bad. */
  truncated: boolean
}

/** A line longer than this is not a record of ours; it is skipped, so memory stays bounded. */
const MAX_LINE_BYTES = 64 * 1024 * 1024

/**
 * A recording's lines in order, in constant memory (64 KiB reads). The last line without a
 * newline is yielded with `last: true`, so a caller can tell a crash's cut-off line apart.
 */
export async function* readLines(
  path: string,
): AsyncGenerator<{ line: string; last: boolean; tooLong?: boolean }> {
  let parts: Buffer[] = []
  let held = 0
  let skipping = false
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
    const buf = chunk as Buffer
    let from = 0
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, from)) {
      if (skipping) skipping = false
      else if (held === 0) yield { line: buf.toString('utf8', from, nl), last: false }
      else {
        parts.push(buf.subarray(from, nl))
        yield { line: Buffer.concat(parts).toString('utf8'), last: false }
      }
      parts = []
      held = 0
      from = nl + 1
    }
    if (from < buf.length && !skipping) {
      held += buf.length - from
      if (held > MAX_LINE_BYTES) {
        yield { line: '', last: false, tooLong: true }
        parts = []
        held = 0
        skipping = true
      } else parts.push(buf.subarray(from))
    }
  }
  if (held > 0 && !skipping) yield { line: Buffer.concat(parts).toString('utf8'), last: true }
}

/**
 * Every record of a recording, in order. Bad lines are counted in `stats` and skipped; a
 * truncated last line (a crash mid-write) is ignored. Blank lines are ignored too.
 */
export async function* readRecords(path: string, stats: ReadStats): AsyncGenerator<RecordLine> {
  for await (const { line, last, tooLong } of readLines(path)) {
    if (!tooLong && line.trim() === '') continue
    const record = tooLong ? null : parseRecord(line)
    if (record) {
      stats.records += 1
      yield record
    } else if (last) stats.truncated = true
    else stats.badLines += 1
  }
}

/** Only the frame records, e.g. the received ones for replay. */
export async function* readFrames(
  path: string,
  stats: ReadStats,
  dir?: 'rx' | 'tx',
): AsyncGenerator<FrameRecord> {
  for await (const record of readRecords(path, stats)) {
    if (isFrame(record) && (dir === undefined || record.dir === dir)) yield record
  }
}

export const emptyStats = (): ReadStats => ({ records: 0, badLines: 0, truncated: false })
