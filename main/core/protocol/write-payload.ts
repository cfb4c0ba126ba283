import type { PortSettings } from '../../../common/settings-schema'
import type { WriteEncoding } from '../../../common/protocol'
import type { Result } from '../../../common/validation'

const HEX = /^(?:[0-9a-fA-F]{2})*$/
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * Turns a write request into the bytes sent to the port. The terminator is appended to text
 * only, and only when the text does not already end with it.
 */
export function encodeWrite(
  data: string,
  encoding: WriteEncoding,
  port: Pick<PortSettings, 'writeTerminator' | 'encoding'>,
): Result<Buffer> {
  switch (encoding) {
    case 'utf8': {
      const text =
        port.writeTerminator && !data.endsWith(port.writeTerminator)
          ? data + port.writeTerminator
          : data
      return { ok: true, value: Buffer.from(text, port.encoding === 'utf8' ? 'utf8' : 'latin1') }
    }
    case 'hex': {
      const compact = data.replace(/\s+/g, '')
      if (!HEX.test(compact))
        return { ok: false, errors: ['data is not hex: use pairs of digits 0-9 a-f, e.g. "0d0a"'] }
      return { ok: true, value: Buffer.from(compact, 'hex') }
    }
    case 'base64': {
      if (data.length % 4 !== 0 || !BASE64.test(data))
        return { ok: false, errors: ['data is not valid base64'] }
      return { ok: true, value: Buffer.from(data, 'base64') }
    }
  }
}
