/** Bytes on the wire: base64 and text in a port's encoding, with only what browsers and Node share. */

const utf8Decoder = new TextDecoder('utf-8')
const utf8Encoder = new TextEncoder()

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  // Chunks keep String.fromCharCode's argument list far below engines' limits.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

/** The bytes of a frame the bridge sent as text: UTF-8 on `utf8` ports, one byte a character otherwise. */
export function textToBytes(text: string, encoding: string): Uint8Array {
  if (encoding === 'utf8') return utf8Encoder.encode(text)
  const bytes = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff
  return bytes
}

/** Text for bytes that were not valid in the port's encoding: invalid sequences become U+FFFD. */
export function bytesToText(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes)
}

/** The size of a message as UTF-8, without encoding it. */
export function utf8Length(text: string): number {
  let length = text.length
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) continue
    if (code < 0x800) {
      length += 1
    } else if (code >= 0xd800 && code <= 0xdbff) {
      // A surrogate pair: two UTF-16 units, four bytes.
      length += 2
      i += 1
    } else {
      length += 2
    }
  }
  return length
}
