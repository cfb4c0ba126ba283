import { connect } from 'node:net'

export interface RawAnswer {
  /** The status of the response's first line; null when the server closed without one. */
  status: number | null
  /** Everything up to the end of the response head (or all that came before the close). */
  head: string
}

/**
 * Sends `request` exactly as given over a raw TCP socket (so malformed request lines and
 * headers reach the server as they are) and resolves with the response head. Rejects when
 * nothing happens within `timeoutMs`.
 */
export function rawRequest(port: number, request: string | Buffer, timeoutMs = 10_000) {
  return new Promise<RawAnswer>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let received = ''
    const finish = (): void => {
      clearTimeout(timer)
      socket.destroy()
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(received)
      resolve({ status: match ? Number(match[1]) : null, head: received.split('\r\n\r\n')[0]! })
    }
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(String(request))}`))
    }, timeoutMs)
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1')
      if (received.includes('\r\n\r\n')) finish()
    })
    socket.on('close', finish)
    socket.on('error', () => undefined)
    socket.write(request)
  })
}

/** A WebSocket upgrade request for `target`, with extra header lines. */
export function upgradeRequest(target: string, headers: Record<string, string> = {}): string {
  const all = {
    Host: '127.0.0.1',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version': '13',
    ...headers,
  }
  return `GET ${target} HTTP/1.1\r\n${headerLines(all)}\r\n`
}

export function getRequest(target: string, headers: Record<string, string> = {}): string {
  return `GET ${target} HTTP/1.1\r\n${headerLines({ Host: '127.0.0.1', ...headers })}\r\n`
}

function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')
}
