import type { ServerSettings, ServerTls } from '../../../common/settings-schema'
import { isLoopbackHost } from '../../../common/loopback'

export const LOCAL_HOST = '127.0.0.1'
export const LAN_HOST = '0.0.0.0'

/** The "Who may connect" form as typed. */
export interface ServerDraft {
  host: string
  port: string
  token: string
  allowedOrigins: string
  maxClients: string
  heartbeatSeconds: string
  clientBufferKiB: string
  /** `none`, `auto` (a self-signed certificate made by the app), or certificate files. */
  tls: 'none' | 'auto' | 'files'
  tlsCert: string
  tlsKey: string
}

export function draftFromServer(s: ServerSettings): ServerDraft {
  return {
    host: s.host,
    port: String(s.port),
    token: s.token ?? '',
    allowedOrigins: s.allowedOrigins.join('\n'),
    maxClients: String(s.maxClients),
    heartbeatSeconds: String(s.heartbeatSeconds),
    clientBufferKiB: String(s.clientBufferBytes / 1024),
    tls: s.tls === null ? 'none' : s.tls === 'auto' ? 'auto' : 'files',
    tlsCert: s.tls !== null && s.tls !== 'auto' ? s.tls.cert : '',
    tlsKey: s.tls !== null && s.tls !== 'auto' ? s.tls.key : '',
  }
}

function tlsOf(d: ServerDraft): ServerTls | null {
  if (d.tls === 'none') return null
  if (d.tls === 'auto') return 'auto'
  return { cert: d.tlsCert.trim(), key: d.tlsKey.trim() }
}

const number = (text: string): number | null =>
  /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : null

/**
 * Checks what only the form can know (numbers typed as text, the token the lab network
 * needs) and builds the update; the engine's schema checks the rest and names the field.
 */
export function draftToServer(
  d: ServerDraft,
  /** How many named tokens there are: any of them also satisfies the lab network. */
  namedTokens = 0,
): { ok: true; value: Partial<ServerSettings> } | { ok: false; errors: string[] } {
  const errors: string[] = []
  const port = number(d.port)
  const maxClients = number(d.maxClients)
  const heartbeatSeconds = number(d.heartbeatSeconds)
  const bufferKiB = number(d.clientBufferKiB)
  if (port === null) errors.push('server.port: type a port number, e.g. 8765')
  if (maxClients === null) errors.push('server.maxClients: type a whole number, e.g. 64')
  if (heartbeatSeconds === null) errors.push('server.heartbeatSeconds: type a number of seconds')
  if (bufferKiB === null) errors.push('server.clientBufferBytes: type a size in KiB, e.g. 1024')
  const token = d.token.trim()
  if (!isLoopbackHost(d.host) && !token && namedTokens === 0)
    errors.push('server.token: the lab network requires a token; press Generate to make one')
  if (d.tls === 'files' && !d.tlsCert.trim())
    errors.push('server.tls.cert: name the certificate file (PEM), or choose automatic TLS')
  if (d.tls === 'files' && !d.tlsKey.trim())
    errors.push('server.tls.key: name the key file (PEM), or choose automatic TLS')
  if (errors.length > 0) return { ok: false, errors }
  return {
    ok: true,
    value: {
      host: d.host,
      port: port!,
      token: token || null,
      allowedOrigins: d.allowedOrigins
        .split('\n')
        .map((o) => o.trim())
        .filter(Boolean),
      maxClients: maxClients!,
      heartbeatSeconds: heartbeatSeconds!,
      clientBufferBytes: Math.round(bufferKiB! * 1024),
      tls: tlsOf(d),
    },
  }
}

const labels: Record<keyof ServerDraft, string> = {
  host: 'who may connect',
  port: 'port number',
  token: 'token',
  allowedOrigins: 'allowed origins',
  maxClients: 'max clients',
  heartbeatSeconds: 'heartbeat',
  clientBufferKiB: 'client buffer',
  tls: 'TLS',
  tlsCert: 'certificate file',
  tlsKey: 'key file',
}

export const fieldLabel = (key: string): string => labels[key as keyof ServerDraft] ?? key

export const sameServer = (a: ServerSettings, b: ServerSettings): boolean =>
  JSON.stringify(a) === JSON.stringify(b)

/** The fields of `asked` that the settings in force do not have: `server.port`, … */
export function differentFields(asked: Partial<ServerSettings>, now: ServerSettings): string[] {
  return (Object.keys(asked) as Array<keyof ServerSettings>)
    .filter((k) => JSON.stringify(asked[k]) !== JSON.stringify(now[k]))
    .map((k) => `server.${k}`)
}
