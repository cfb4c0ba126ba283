import type { DataEncoding, ServerMessage } from '../../../common/protocol'
import type { RxFrame } from '../serial/rx-frame'
import type { StreamFormat } from './client'

/** A frame's text, or its bytes as base64 when they are not valid text in the port's encoding. */
export function frameData(frame: RxFrame): { data: string; encoding: DataEncoding } {
  return frame.valid
    ? { data: frame.text, encoding: 'utf8' }
    : { data: frame.bytes.toString('base64'), encoding: 'base64' }
}

/**
 * A reply of several frames (`expectLines`): their texts joined with "\n", and each one in
 * `lines`; as base64 (`data` of the bytes joined with a 0x0a byte) when one is not valid text.
 */
export function replyData(frames: RxFrame[]): {
  data: string
  encoding: DataEncoding
  lines: string[]
} {
  if (frames.every((f) => f.valid)) {
    const lines = frames.map((f) => f.text)
    return { data: lines.join('\n'), encoding: 'utf8', lines }
  }
  const joined = Buffer.concat(frames.flatMap((f, i) => (i > 0 ? [NEWLINE, f.bytes] : [f.bytes])))
  return {
    data: joined.toString('base64'),
    encoding: 'base64',
    lines: frames.map((f) => f.bytes.toString('base64')),
  }
}

const NEWLINE = Buffer.from('\n')

export function dataMessage(frame: RxFrame): Extract<ServerMessage, { type: 'data' }> {
  return {
    type: 'data',
    port: frame.port,
    ...frameData(frame),
    ts: new Date(frame.ts).toISOString(),
    seq: frame.seq,
    ...(frame.poll !== undefined ? { poll: frame.poll } : {}),
    ...(frame.values !== undefined ? { values: frame.values } : {}),
    ...(frame.units !== undefined ? { units: frame.units } : {}),
  }
}

/**
 * One frame in each stream format, each made at most once however many clients receive it:
 * a fan-out to a thousand clients encodes the JSON once.
 */
export class FrameEncodings {
  private textPayload: Buffer | undefined
  private jsonPayload: Buffer | undefined

  constructor(readonly frame: RxFrame) {}

  payload(format: StreamFormat): { payload: Buffer; binary: boolean } {
    switch (format) {
      case 'binary':
        return { payload: this.frame.bytes, binary: true }
      case 'text':
        this.textPayload ??= this.frame.ascii
          ? this.frame.bytes
          : Buffer.from(this.frame.text, 'utf8')
        return { payload: this.textPayload, binary: false }
      case 'json':
        this.jsonPayload ??= Buffer.from(JSON.stringify(dataMessage(this.frame)))
        return { payload: this.jsonPayload, binary: false }
    }
  }
}
