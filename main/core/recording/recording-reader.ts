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
const READ_BYTES = 64 * 1024

interface LineBatch {
  lines: string[]
  /** Lines skipped for their length. */
  tooLong: number
  /** The file's last line when it has no newline (only in the last batch). */
  cut: string | null
}

/**
 * A recording's lines in order, a batch per 64 KiB read, in constant memory. Batches keep the
 * per-line cost low: a gigabyte is millions of lines.
 */
export async function* readLineBatches(path: string): AsyncGenerator<LineBatch> {
  let parts: Buffer[] = []
  let held = 0
  let skipping = false
  for await (const chunk of createReadStream(path, { highWaterMark: READ_BYTES })) {
    const buf = chunk as Buffer
    const batch: LineBatch = { lines: [], tooLong: 0, cut: null }
    let from = 0
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, from)) {
      if (skipping) skipping = false
      else if (held === 0) batch.lines.push(buf.toString('utf8', from, nl))
      else {
        parts.push(buf.subarray(from, nl))
        batch.lines.push(Buffer.concat(parts).toString('utf8'))
      }
      parts = []
      held = 0
      from = nl + 1
    }
    if (from < buf.length && !skipping) {
      held += buf.length - from
      if (held > MAX_LINE_BYTES) {
        batch.tooLong += 1
        parts = []
        held = 0
        skipping = true
      } else parts.push(buf.subarray(from))
    }
    yield batch
  }
  if (held > 0 && !skipping) {
    yield { lines: [], tooLong: 0, cut: Buffer.concat(parts).toString('utf8') }
  }
}

/**
 * Every record of a recording, in order, a batch at a time. Bad lines are counted in `stats`
 * and skipped; a truncated last line (a crash mid-write) is ignored; blank lines too.
 */
export async function* readRecordBatches(
  path: string,
  stats: ReadStats,
): AsyncGenerator<RecordLine[]> {
  for await (const { lines, tooLong, cut } of readLineBatches(path)) {
    const records: RecordLine[] = []
    stats.badLines += tooLong
    for (const line of lines) {
      const record = parseRecord(line)
      if (record) records.push(record)
      else if (line.trim() !== '') stats.badLines += 1
    }
    if (cut !== null && cut.trim() !== '') {
      const record = parseRecord(cut)
      if (record) records.push(record)
      else stats.truncated = true
    }
    stats.records += records.length
    if (records.length > 0) yield records
  }
}

export async function* readRecords(path: string, stats: ReadStats): AsyncGenerator<RecordLine> {
  for await (const batch of readRecordBatches(path, stats)) yield* batch
}

/** Only the frame records, e.g. the received ones for replay. */
export async function* readFrames(
  path: string,
  stats: ReadStats,
  dir?: 'rx' | 'tx',
): AsyncGenerator<FrameRecord> {
  for await (const batch of readRecordBatches(path, stats)) {
    for (const record of batch) {
      if (isFrame(record) && (dir === undefined || record.dir === dir)) yield record
    }
  }
}

export const emptyStats = (): ReadStats => ({ records: 0, badLines: 0, truncated: false })
