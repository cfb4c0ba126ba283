import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { isFrame, recordBytes, type FrameRecord } from './record-format'
import { emptyStats, readRecordBatches, type ReadStats } from './recording-reader'

/** At most this many value columns: a file whose frames name more keeps the first ones. */
const MAX_VALUE_COLUMNS = 256
/** Rows are gathered into writes of about this size. */
const WRITE_CHARS = 16 * 1024

/**
 * A recording as CSV for spreadsheets: `ts,dir,data` plus one column per numeric channel
 * (`values`) when frames carry any. Two passes in constant memory: the first finds the value
 * columns, the second writes the rows, waiting whenever `out` is full.
 */
export async function exportCsv(
  path: string,
  out: Writable,
): Promise<ReadStats & { rows: number }> {
  const columns = new Set<string>()
  for await (const batch of readRecordBatches(path, emptyStats())) {
    for (const record of batch) {
      if (!isFrame(record) || !record.values) continue
      for (const key in record.values) if (columns.size < MAX_VALUE_COLUMNS) columns.add(key)
    }
  }
  const names = [...columns]
  const stats = emptyStats()
  let rows = 0
  let pending = ['ts', 'dir', 'data', ...names].map(csvField).join(',') + '\r\n'
  for await (const batch of readRecordBatches(path, stats)) {
    for (const record of batch) {
      if (!isFrame(record)) continue
      pending += csvRow(record, names)
      rows += 1
    }
    if (pending.length >= WRITE_CHARS) {
      if (!out.write(pending)) await once(out, 'drain')
      pending = ''
    }
  }
  if (!out.write(pending)) await once(out, 'drain')
  return { ...stats, rows }
}

function csvRow(frame: FrameRecord, names: string[]): string {
  const data = frame.encoding === 'utf8' ? safeText(frame.data) : hexBytes(recordBytes(frame))
  let row = `${frame.ts},${frame.dir},${csvField(data)}`
  for (const name of names) {
    const value = frame.values?.[name]
    row += typeof value === 'number' && Number.isFinite(value) ? `,${value}` : ','
  }
  return row + '\r\n'
}

/** RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * Serial data is untrusted: text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,
 * tab, CR first) gets a leading `'`, unless it is a plain number such as `-1.5`.
 */
export function safeText(text: string): string {
  if (!/^[=+\-@\t\r]/.test(text)) return text
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? text : `'${text}`
}

function hexBytes(bytes: Buffer): string {
  return bytes.toString('hex').replace(/(..)(?!$)/g, '$1 ')
}
