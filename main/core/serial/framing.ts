import type { Transform } from 'node:stream'
import { ByteLengthParser } from '@serialport/parser-byte-length'
import type { Framing } from '../../../common/settings-schema'
import { ChunkFramer } from './framers/chunk-framer'
import { DelimiterFramer } from './framers/delimiter-framer'
import { noFrameEvents, type FrameEvents } from './framers/frame-events'
import { IdleFramer } from './framers/idle-framer'
import { LineFramer } from './framers/line-framer'

/** Each character of a delimiter setting is one byte (codes 0–255). */
export function delimiterBytes(delimiter: string): Buffer {
  return Buffer.from(delimiter, 'latin1')
}

/**
 * A Transform that turns the byte stream into frames, per the port's framing setting. Every
 * mode but `length` (whose frames are `length` bytes) cuts a frame at `maxFrameBytes`.
 */
export function createFramer(framing: Framing, events: FrameEvents = noFrameEvents): Transform {
  const max = framing.maxFrameBytes
  switch (framing.mode) {
    case 'line':
      return new LineFramer(max, events)
    case 'raw':
      return new ChunkFramer(max, events)
    case 'delimiter':
      return new DelimiterFramer(delimiterBytes(framing.delimiter), max, events)
    case 'idle':
      return new IdleFramer(framing.idleMs, max, events)
    case 'length':
      return new ByteLengthParser({ length: framing.length })
  }
}
