/** The three things a person fixes differently, named the same in the status, the UI and the docs. */
export const MQTT_ERROR = {
  auth: 'wrong user name or password',
  unreachable: 'broker not reachable',
  untrusted: 'certificate not trusted',
} as const

/** CONNACK codes meaning the broker refused these credentials (MQTT 3.1.1: 4, 5; MQTT 5: 134, 135). */
const AUTH_CODES = new Set([4, 5, 134, 135])

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
])

const UNTRUSTED_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

/**
 * A broker connection's failure in words a person acts on, the detail after it in brackets:
 * "certificate not trusted (self-signed certificate; set mqtt.tls.ca to the broker's CA file)".
 */
export function describeMqttError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown }
  const code = e?.code
  const detail = typeof e?.message === 'string' ? e.message : String(error)
  if (typeof code === 'number' && AUTH_CODES.has(code)) return `${MQTT_ERROR.auth} (${detail})`
  if (typeof code === 'string') {
    if (UNTRUSTED_CODES.has(code)) {
      const hint =
        code === 'ERR_TLS_CERT_ALTNAME_INVALID'
          ? 'the certificate is for another host name'
          : "set mqtt.tls.ca to the broker's CA file"
      return `${MQTT_ERROR.untrusted} (${detail}; ${hint})`
    }
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
      return `${MQTT_ERROR.unreachable} (the broker does not speak TLS on this port: use mqtt:// or its TLS port)`
    }
    if (UNREACHABLE_CODES.has(code)) return `${MQTT_ERROR.unreachable} (${detail})`
  }
  if (/connack timeout/i.test(detail)) {
    return `${MQTT_ERROR.unreachable} (no answer to CONNECT: is this an MQTT broker?)`
  }
  return detail
}
