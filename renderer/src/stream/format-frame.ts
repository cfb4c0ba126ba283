import type { StreamFrame } from '../../../common/contract'
import type { PortSettings } from '../../../common/settings-schema'
import { formatTimestamp } from '../shared/format-time'

export type Encoding = PortSettings['encoding']
export type ViewMode = 'text' | 'hex'

const decoderLabels: Record<Encoding, string> = { utf8: 'utf-8', latin1: 'latin1', ascii: 'ascii' }
const decoders = new Map<Encoding, TextDecoder>()
/** Decoded text per frame, so filtering and re-rendering do not decode the same bytes twice. */
const textCache = new Map<Encoding, WeakMap<StreamFrame, string>>()

export function formatHex(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0) out += ' '
    out += bytes[i]!.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

/** The bytes as ASCII beside the hex, as terminals show them: printable characters, else `.`. */
export function formatAscii(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'
  return out
}

/** Control characters drawn as their Unicode pictures (␍ ␊ ␀…), so they are visible. */
export function visibleText(text: string): string {
  const body = text.replace(/(\r\n|\n|\r)$/, '')
  let out = ''
  for (const c of body) {
    const code = c.charCodeAt(0)
    if (code === 0x7f) out += '\u2421'
    else if (code < 0x20 && c !== '\t') out += String.fromCharCode(0x2400 + code)
    else out += c
  }
  return out
}

export function decodeText(bytes: Uint8Array, encoding: Encoding): string {
  let decoder = decoders.get(encoding)
  if (!decoder) decoders.set(encoding, (decoder = new TextDecoder(decoderLabels[encoding])))
  return decoder.decode(bytes)
}

export function frameText(frame: StreamFrame, encoding: Encoding): string {
  let cache = textCache.get(encoding)
  if (!cache) textCache.set(encoding, (cache = new WeakMap()))
  let text = cache.get(frame)
  if (text === undefined) cache.set(frame, (text = visibleText(decodeText(frame.data, encoding))))
  return text
}

export function frameContent(frame: StreamFrame, mode: ViewMode, encoding: Encoding): string {
  return mode === 'hex' ? formatHex(frame.data) : frameText(frame, encoding)
}

export interface LineOptions {
  mode: ViewMode
  encoding: Encoding
  timestamps: boolean
}

/** One frame as a line of the saved file: `2026-11-30 14:03:07.125 rx 48 65 6C`. */
export function frameLine(frame: StreamFrame, options: LineOptions): string {
  const content = frameContent(frame, options.mode, options.encoding)
  const head = options.timestamps
    ? `${formatTimestamp(frame.ts)} ${frame.direction}`
    : frame.direction
  return options.mode === 'hex'
    ? `${head} ${content}  |${formatAscii(frame.data)}|`
    : `${head} ${content}`
}

export function matchesFilter(
  frame: StreamFrame,
  filter: string,
  mode: ViewMode,
  encoding: Encoding,
): boolean {
  if (!filter) return true
  return frameContent(frame, mode, encoding).toLowerCase().includes(filter.toLowerCase())
}
