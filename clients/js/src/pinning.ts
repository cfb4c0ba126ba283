import { ConnectFailed } from './errors.js'
import { runsInNode } from './socket.js'

/**
 * Certificate pinning (`connect(url, { fingerprint })`): before anything is sent, the client
 * opens the TLS connection itself, reads the server's certificate and compares its SHA-256
 * fingerprint with the pin; only then does the WebSocket upgrade (with the token) go out, on
 * that same connection. The pin names the server, so its host name is not checked: a
 * self-signed certificate (`server.tls: "auto"`) is usable without turning verification off.
 * Node.js only: a browser gives a page no way to see or choose the certificate.
 */

/** The part of a `node:tls` socket used here; `ws` takes it as the connection to use. */
interface TlsSocket {
  once(event: 'secureConnect', listener: () => void): void
  once(event: 'error', listener: (error: Error) => void): void
  getPeerCertificate(): { fingerprint256?: string }
  destroy(): void
}

interface TlsModule {
  connect(options: {
    host: string
    port: number
    servername?: string
    rejectUnauthorized: boolean
  }): TlsSocket
}

/**
 * Opens a TLS connection to the bridge; `ready` resolves once its certificate is the pinned
 * one. `cancel()` drops a connection still being made (the attempt was given up).
 */
export type PinnedDial = (url: string) => { ready: Promise<PinnedSocket>; cancel(): void }

/** A checked connection, for one WebSocket; `destroy()` when it is not used after all. */
export interface PinnedSocket {
  /** Options for the `ws` constructor: the upgrade goes out on this connection. */
  readonly wsOptions: { createConnection: () => unknown }
  destroy(): void
}

const FINGERPRINT = /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/

/** `AA:BB:…` (32 pairs, as Serial Bridge shows it) in either case, or the 64 digits alone. */
export function normalizeFingerprint(text: string): string {
  const trimmed = text.trim().toUpperCase()
  const paired = /^[0-9A-F]{64}$/.test(trimmed) ? trimmed.replace(/(..)(?!$)/g, '$1:') : trimmed
  if (!FINGERPRINT.test(paired))
    throw new ConnectFailed(
      `fingerprint is the certificate's SHA-256 as Serial Bridge shows it: 32 pairs of hex ` +
        `digits joined by ":" (AB:CD:…), not "${text}"`,
    )
  return paired
}

/** Checks the option before anything connects: a wss:// URL, in Node.js, a well-formed pin. */
export async function pinnedDial(url: string, fingerprint: string): Promise<PinnedDial> {
  if (!runsInNode())
    throw new ConnectFailed(
      'fingerprint works in Node.js only: a browser does not let a page check the ' +
        "server's certificate. Open the bridge's https:// address once in this browser and " +
        'accept its certificate if the fingerprint matches, then connect without fingerprint.',
    )
  const pin = normalizeFingerprint(fingerprint)
  if (!url.startsWith('wss:'))
    throw new ConnectFailed(
      `fingerprint pins the certificate of a TLS server, and ${new URL(url).origin} is ` +
        'plain ws://: use the wss:// address Serial Bridge shows',
    )
  const name = 'node:tls'
  const tls = (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as TlsModule
  return (target) => dialPinned(tls, target, pin)
}

function dialPinned(tls: TlsModule, url: string, pin: string): ReturnType<PinnedDial> {
  const { hostname, port } = new URL(url)
  const host = hostname.replace(/^\[|\]$/g, '')
  const where = `${hostname}:${port || 443}`
  const isIp = /^[\d.]+$/.test(host) || host.includes(':')
  const socket = tls.connect({
    host,
    port: Number(port) || 443,
    ...(isIp ? {} : { servername: host }),
    // Checked below by fingerprint, before any byte of the upgrade is written.
    rejectUnauthorized: false,
  })
  const ready = new Promise<PinnedSocket>((resolve, reject) => {
    socket.once('error', (error) =>
      reject(
        new ConnectFailed(`cannot connect to ${where}: ${error.message}`, undefined, {
          cause: error,
          // As the plain link says it: the reconnect then retries promptly (a restarting bridge).
          nobodyListening: (error as { code?: string }).code === 'ECONNREFUSED',
        }),
      ),
    )
    socket.once('secureConnect', () => {
      const seen = socket.getPeerCertificate().fingerprint256 ?? 'none'
      if (seen === pin)
        return resolve({
          wsOptions: { createConnection: () => socket },
          destroy: () => socket.destroy(),
        })
      socket.destroy()
      reject(
        new ConnectFailed(
          `${where} did not present the pinned certificate: its SHA-256 fingerprint is ` +
            `${seen}, the pin is ${pin}. Nothing was sent (no token). If the bridge made a new ` +
            'certificate, pin the fingerprint it shows now.',
        ),
      )
    })
  })
  return { ready, cancel: () => socket.destroy() }
}
