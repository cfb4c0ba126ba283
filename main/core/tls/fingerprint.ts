import { X509Certificate } from 'node:crypto'

/**
 * A certificate's SHA-256 fingerprint as browsers and `openssl x509 -fingerprint -sha256` show
 * it: 32 pairs of upper-case hex digits joined by colons (docs/protocol.md, TLS).
 */
export function certificateFingerprint(pem: string | Buffer): string {
  return new X509Certificate(pem).fingerprint256
}

/** `ab:cd…`, `ABCD…` and `AB CD…` are the same pin: compared without separators or case. */
export function samePin(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/[^0-9a-f]/gi, '').toUpperCase()
  return norm(a).length === 64 && norm(a) === norm(b)
}
