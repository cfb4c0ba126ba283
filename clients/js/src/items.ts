import { base64ToBytes, bytesToText, textToBytes } from './codec.js'
import type { DataMessage, PortState, ReplyMessage } from './wire.js'

/** One frame a port read (one line, with the default framing). */
export class Frame {
  readonly type = 'frame'
  readonly port: string
  /** The frame as text; bytes that were not valid text come out as U+FFFD. */
  readonly text: string
  /** When the bridge read it. */
  readonly ts: Date
  /** Its number on this port, one more per frame, within one server epoch. */
  readonly seq: number
  /** The parsed values, when the port parses its frames (`{"V": 1.234}`). */
  readonly values?: Record<string, number>
  readonly units?: Record<string, string>
  /** The poll whose reply this frame is. */
  readonly poll?: string
  #bytes: Uint8Array | undefined
  readonly #encoding: string

  constructor(message: DataMessage, portEncoding: string) {
    this.port = message.port
    this.seq = message.seq
    this.ts = new Date(message.ts)
    if (message.encoding === 'base64') {
      this.#bytes = base64ToBytes(message.data)
      this.text = bytesToText(this.#bytes)
    } else {
      this.text = message.data
    }
    this.#encoding = portEncoding
    if (message.values !== undefined) this.values = message.values
    if (message.units !== undefined) this.units = message.units
    if (message.poll !== undefined) this.poll = message.poll
  }

  /** The bytes as read (computed on first use: most callers only want the text). */
  get data(): Uint8Array {
    this.#bytes ??= textToBytes(this.text, this.#encoding)
    return this.#bytes
  }

  toString(): string {
    return this.text
  }
}

/**
 * Frames this stream did not get: `fromSeq` to `toSeq` (inclusive; `null` when unknown).
 * `restarted`: the server restarted, so seq numbers started again from 1.
 */
export class Gap {
  readonly type = 'gap'
  constructor(
    readonly port: string,
    readonly fromSeq: number,
    readonly toSeq: number | null,
    readonly restarted = false,
  ) {}

  toString(): string {
    const range = `${this.fromSeq}..${this.toSeq ?? '?'}`
    return `[gap: ${this.port} frames ${range} lost${this.restarted ? ', bridge restarted' : ''}]`
  }
}

/** What `stream(port)` yields, in the order things happened. */
export type StreamItem = Frame | Gap

/** The answer to a query. */
export class Reply {
  readonly port: string
  readonly text: string
  readonly data: Uint8Array
  /** The lines of a query with `expectLines`. */
  readonly lines?: string[]

  constructor(message: ReplyMessage, portEncoding: string) {
    this.port = message.port
    if (message.encoding === 'base64') {
      this.data = base64ToBytes(message.data)
      this.text = bytesToText(this.data)
    } else {
      this.text = message.data
      this.data = textToBytes(message.data, portEncoding)
    }
    if (Array.isArray(message.lines)) this.lines = message.lines
  }

  toString(): string {
    return this.text
  }
}

/** A port's state changed (given to `onStatus` callbacks). */
export interface PortStatus {
  port: string
  state: PortState
  /** A sentence for people, in `reconnecting` and `error`. */
  error?: string
}
