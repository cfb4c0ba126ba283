import { Transform, type TransformCallback } from 'node:stream'
import { DelimiterParser } from '@serialport/parser-delimiter'
import { InterByteTimeoutParser } from '@serialport/parser-inter-byte-timeout'
import { ByteLengthParser } from '@serialport/parser-byte-length'
import type { Framing } from '../../../common/settings-schema'

/** Each character of a delimiter setting is one byte (codes 0–255). */
export function delimiterBytes(delimiter: string): Buffer {
  return Buffer.from(delimiter, 'latin1')
}

/** Raw framing: every chunk the OS hands over is a frame. */
class ChunkFramer extends Transform {
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    done(null, chunk)
  }
}

/** A Transform that turns the byte stream into frames, per the port's framing setting. */
export function createFramer(framing: Framing): Transform {
  switch (framing.mode) {
    case 'raw':
      return new ChunkFramer()
    case 'delimiter':
      return new DelimiterParser({
        delimiter: delimiterBytes(framing.delimiter),
        includeDelimiter: false,
      })
    case 'idle':
      return new InterByteTimeoutParser({ interval: framing.idleMs })
    case 'length':
      return new ByteLengthParser({ length: framing.length })
  }
}
