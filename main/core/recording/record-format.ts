import { isUtf8 } from 'node:buffer'
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

/** Formats one port's records; caches the ISO time, which many frames in a millisecond share. */
export class RecordFormatter {
  private readonly portJson: string
  private lastTs = -1
  private lastIso = ''

  constructor(port: string) {
    this.portJson = JSON.stringify(port)
  }

  rx(frame: RxFrame): string {
    let extra = ''
    if (frame.poll !== undefined) extra += `,"poll":${JSON.stringify(frame.poll)}`
    if (frame.values !== undefined) extra += `,"values":${JSON.stringify(frame.values)}`
    return this.frame(frame.ts, 'rx', frame.seq, frame.bytes, frame.ascii, extra)
  }

  tx(bytes: Buffer, ts: number, seq: number): string {
    return this.frame(ts, 'tx', seq, bytes, false, '')
  }

  event(ts: number, event: EventName, fields: Record<string, unknown> = {}): string {
    const rest = JSON.stringify(fields)
    const tail = rest === '{}' ? '}' : `,${rest.slice(1)}`
    return `{"ts":"${this.iso(ts)}","port":${this.portJson},"event":"${event}"${tail}\n`
  }

  private frame(
    ts: number,
    dir: 'rx' | 'tx',
    seq: number,
    bytes: Buffer,
    ascii: boolean,
    extra: string,
  ): string {
    // Text when the bytes are UTF-8 as they are (so a reader gets them back exactly), else base64.
    const text = ascii || isUtf8(bytes)
    const data = text ? JSON.stringify(bytes.toString(ascii ? 'latin1' : 'utf8')) : null
    return (
      `{"ts":"${this.iso(ts)}","port":${this.portJson},"dir":"${dir}","seq":${seq},"data":` +
      (data ?? `"${bytes.toString('base64')}"`) +
      `,"encoding":"${data === null ? 'base64' : 'utf8'}"${extra}}\n`
    )
  }

  private iso(ts: number): string {
    if (ts !== this.lastTs) {
      this.lastTs = ts
      this.lastIso = new Date(ts).toISOString()
    }
    return this.lastIso
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
