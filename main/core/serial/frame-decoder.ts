import type { PortSettings } from '../settings/settings-schema'

export interface DecodedFrame {
  text: string
  /** False when the bytes are not valid in the port's encoding; the JSON form then carries base64. */
  valid: boolean
}

/**
 * Decodes a port's frames in order. UTF-8 decodes in streaming mode, so a character split
 * across two frames (raw, idle or length framing) comes out whole in the second.
 */
export function createFrameDecoder(
  encoding: PortSettings['encoding'],
): (frame: Uint8Array) => DecodedFrame {
  if (encoding === 'latin1') {
    return (frame) => ({
      text: Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('latin1'),
      valid: true,
    })
  }
  if (encoding === 'ascii') {
    return (frame) => ({
      text: Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('latin1'),
      valid: frame.every((b) => b < 0x80),
    })
  }
  let strict = new TextDecoder('utf-8', { fatal: true })
  const lenient = new TextDecoder('utf-8')
  return (frame) => {
    try {
      return { text: strict.decode(frame, { stream: true }), valid: true }
    } catch {
      strict = new TextDecoder('utf-8', { fatal: true })
      return { text: lenient.decode(frame), valid: false }
    }
  }
}
