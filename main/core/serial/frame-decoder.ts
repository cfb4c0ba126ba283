import { isAscii } from 'node:buffer'
import type { PortSettings } from '../../../common/settings-schema'

export interface DecodedFrame {
  /**
   * Null for an ASCII frame, which is most of what instruments send: its text is its bytes,
   * made only if a client asks for text (`RxFrame.text`).
   */
  text: string | null
  /** False when the bytes are not valid in the port's encoding; the JSON form then carries base64. */
  valid: boolean
}

const ASCII: DecodedFrame = Object.freeze({ text: null, valid: true })

/**
 * Decodes a port's frames in order. UTF-8 decodes in streaming mode, so a character split
 * across two frames (raw, idle or length framing) comes out whole in the second.
 */
export function createFrameDecoder(
  encoding: PortSettings['encoding'],
): (frame: Uint8Array) => DecodedFrame {
  if (encoding === 'latin1') {
    return (frame) => (isAscii(frame) ? ASCII : { text: latin1(frame), valid: true })
  }
  if (encoding === 'ascii') {
    return (frame) => (isAscii(frame) ? ASCII : { text: latin1(frame), valid: false })
  }
  // A serial line has no byte-order mark: EF BB BF is data, wherever it comes.
  const strictDecoder = () => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
  let strict = strictDecoder()
  const lenient = new TextDecoder('utf-8', { ignoreBOM: true })
  // Whether the streaming decoder may hold the start of a character from the last frame.
  let mayHoldBytes = false
  return (frame) => {
    if (!mayHoldBytes && isAscii(frame)) return ASCII
    try {
      const text = strict.decode(frame, { stream: true })
      // An ASCII last byte ends any character, so nothing is held back after it.
      if (frame.length > 0) mayHoldBytes = frame[frame.length - 1]! >= 0x80
      return { text, valid: true }
    } catch {
      strict = strictDecoder()
      mayHoldBytes = false
      return { text: lenient.decode(frame), valid: false }
    }
  }
}

function latin1(frame: Uint8Array): string {
  return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('latin1')
}
