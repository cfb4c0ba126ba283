import { isAscii, isUtf8 } from 'node:buffer'
import type { RxFrame } from '../serial/rx-frame'

/**
 * The recording format: JSON Lines, one record per line (docs/recording.md). A frame:
 * `{"ts":"2026-11-23T09:15:02.123Z","port":"meter","dir":"rx","seq":1,"data":"V=1.2","encoding":"utf8"}`
 * and an event: `{"ts":"…","port":"meter","event":"unplug","error":"…"}`.
 */
export const FORMAT_VERSION = 1

export type EventName =
  'start' | 'stop' | 'open' | 'close' | 'unplug' | 'reconnect' | 'release' | 'gap'

export interface FrameRecord {
  ts: string
  port: string
  dir: 'rx' | 'tx'
  seq: number
  data: string
  encoding: 'utf8' | 'base64'
  poll?: string
  values?: Record<string, number>
}

export interface EventRecord {
  ts: string
  port: string
  event: EventName
  [field: string]: unknown
}

export type RecordLine = FrameRecord | EventRecord

/**
 * Builds slices of a file in a buffer: frames go in as bytes where they can (most instrument
 * lines are plain ASCII that JSON needs no escapes for), so recording costs little per frame.
 */
export class LineWriter {
  private buf: Buffer
  length = 0

  constructor(private readonly capacity = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(capacity)
  }

  latin1(text: string): void {
    this.room(text.length)
    this.length += this.buf.write(text, this.length, 'latin1')
  }

  utf8(text: string): void {
    this.room(text.length * 3)
    this.length += this.buf.write(text, this.length, 'utf8')
  }

  bytes(bytes: Uint8Array): void {
    const n = bytes.length
    this.room(n)
    // A loop beats TypedArray#set for the few dozen bytes of most lines.
    if (n > 64) this.buf.set(bytes, this.length)
    else for (let i = 0, at = this.length; i < n; i++) this.buf[at + i] = bytes[i]!
    this.length += n
  }

  /** A whole number in decimal, written digit by digit (no string made). */
  digits(n: number): void {
    this.room(20)
    let len = 1
    for (let x = n; x >= 10; x = Math.floor(x / 10)) len++
    let pos = this.length + len
    for (let x = n; pos > this.length; x = Math.floor(x / 10)) this.buf[--pos] = 48 + (x % 10)
    this.length += len
  }

  /** What was written since the last take; the writer starts a fresh buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.length)
    this.buf = Buffer.allocUnsafe(Math.max(this.capacity, this.length))
    this.length = 0
    return out
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buf.length) return
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + bytes))
    this.buf.copy(bigger, 0, 0, this.length)
    this.buf = bigger
  }
}

/** Bytes JSON can carry between quotes as they are: printable ASCII without `"` and `\`. */
function plainJson(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (b < 0x20 || b === 0x22 || b === 0x5c || b > 0x7f) return false
  }
  return true
}

const DATA_OPEN = Buffer.from(',"data":')
const QUOTE = Buffer.from('"')
const QUOTE_UTF8 = Buffer.from('","encoding":"utf8"')
const LINE_END = Buffer.from('}\n')

/** Formats one port's records; caches each line's start, which many frames in a millisecond share. */
export class RecordFormatter {
  private readonly portJson: string
  private lastTs = -1
  private lastIso = ''
  private heads: { rx: Buffer | null; tx: Buffer | null } = { rx: null, tx: null }

  constructor(port: string) {
    this.portJson = JSON.stringify(port)
  }

  writeRx(frame: RxFrame, out: LineWriter): void {
    out.bytes(this.head(frame.ts, 'rx'))
    out.digits(frame.seq)
    this.data(frame.bytes, frame.ascii, out)
    if (frame.poll !== undefined) out.utf8(`,"poll":${JSON.stringify(frame.poll)}`)
    if (frame.values !== undefined) out.utf8(`,"values":${JSON.stringify(frame.values)}`)
    out.bytes(LINE_END)
  }

  writeTx(bytes: Buffer, ts: number, seq: number, out: LineWriter): void {
    out.bytes(this.head(ts, 'tx'))
    out.digits(seq)
    this.data(bytes, false, out)
    out.bytes(LINE_END)
  }

  rx(frame: RxFrame): string {
    const out = new LineWriter(256)
    this.writeRx(frame, out)
    return out.take().toString('utf8')
  }

  tx(bytes: Buffer, ts: number, seq: number): string {
    const out = new LineWriter(256)
    this.writeTx(bytes, ts, seq, out)
    return out.take().toString('utf8')
  }

  event(ts: number, event: EventName, fields: Record<string, unknown> = {}): string {
    const rest = JSON.stringify(fields)
    const tail = rest === '{}' ? '}' : `,${rest.slice(1)}`
    return `{"ts":"${this.iso(ts)}","port":${this.portJson},"event":"${event}"${tail}\n`
  }

  /** Text when the bytes are UTF-8 as they are (so a reader gets them back exactly), else base64. */
  private data(bytes: Buffer, ascii: boolean, out: LineWriter): void {
    out.bytes(DATA_OPEN)
    if ((ascii || isAscii(bytes)) && plainJson(bytes)) {
      out.bytes(QUOTE)
      out.bytes(bytes)
      out.bytes(QUOTE_UTF8)
    } else if (ascii || isUtf8(bytes)) {
      out.utf8(`${JSON.stringify(bytes.toString('utf8'))},"encoding":"utf8"`)
    } else out.latin1(`"${bytes.toString('base64')}","encoding":"base64"`)
  }

  private head(ts: number, dir: 'rx' | 'tx'): Buffer {
    if (ts !== this.lastTs) {
      this.lastTs = ts
      this.lastIso = new Date(ts).toISOString()
      this.heads = { rx: null, tx: null }
    }
    return (this.heads[dir] ??= Buffer.from(
      `{"ts":"${this.lastIso}","port":${this.portJson},"dir":"${dir}","seq":`,
    ))
  }

  private iso(ts: number): string {
    return ts === this.lastTs ? this.lastIso : new Date(ts).toISOString()
  }
}

/** One line of a recording as a record, or null when it is not one (a reader counts it as bad). */
export function parseRecord(line: string): RecordLine | null {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const r = value as Record<string, unknown>
  if (typeof r.ts !== 'string' || Number.isNaN(Date.parse(r.ts))) return null
  if (typeof r.event === 'string') return r as EventRecord
  const frame =
    (r.dir === 'rx' || r.dir === 'tx') &&
    typeof r.data === 'string' &&
    (r.encoding === 'utf8' || r.encoding === 'base64')
  return frame ? (r as unknown as FrameRecord) : null
}

export function isFrame(record: RecordLine): record is FrameRecord {
  return 'dir' in record
}

/** A frame record's bytes, exactly as they were read or written. */
export function recordBytes(record: FrameRecord): Buffer {
  return Buffer.from(record.data, record.encoding === 'base64' ? 'base64' : 'utf8')
}
