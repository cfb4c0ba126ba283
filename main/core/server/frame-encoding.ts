import type { DataEncoding, ServerMessage } from '../../../common/protocol'
import type { RxFrame } from '../serial/rx-frame'
import type { StreamFormat } from './client'

/** A frame's text, or its bytes as base64 when they are not valid text in the port's encoding. */
export function frameData(frame: RxFrame): { data: string; encoding: DataEncoding } {
  return frame.valid
    ? { data: frame.text, encoding: 'utf8' }
    : { data: frame.bytes.toString('base64'), encoding: 'base64' }
}

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
