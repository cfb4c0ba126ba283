import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** A TLS ClientHello starts with this byte (record type "handshake"). */
const TLS_HANDSHAKE = 0x16
/** A connection that says nothing for this long is closed before TLS starts. */
const FIRST_BYTE_MS = 10_000
/** A TLS handshake that has not finished by then is dropped (Node's default is two minutes). */
const HANDSHAKE_MS = 5000

const PLAIN_REFUSAL =
  'This Serial Bridge speaks TLS only: connect with wss:// (tools) or https:// (pages).\n'

/**
 * An https server that answers a plain http:// or ws:// request with a 400 in words instead of
 * a torn TLS handshake, so a tool with the old URL learns what to change.
 */
export function createTlsServer(
  material: { cert: string; key: string },
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
  options: ServerOptions = {},
): Server {
  const server = createServer(
    { ...options, cert: material.cert, key: material.key, handshakeTimeout: HANDSHAKE_MS },
    onRequest,
  )
  const tlsListeners = server.listeners('connection') as Array<(socket: Socket) => void>
  server.removeAllListeners('connection')
  const waiting = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    waiting.add(socket)
    socket.setTimeout(FIRST_BYTE_MS, () => socket.destroy())
    socket.on('error', () => socket.destroy())
    socket.once('close', () => waiting.delete(socket))
    socket.once('data', (chunk: Buffer) => {
      waiting.delete(socket)
      socket.setTimeout(0)
      socket.pause()
      socket.unshift(chunk)
      if (chunk[0] === TLS_HANDSHAKE) {
        for (const listener of tlsListeners) listener.call(server, socket)
        return
      }
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(PLAIN_REFUSAL)}\r\nConnection: close\r\n\r\n` +
          PLAIN_REFUSAL,
      )
    })
  })
  const closeAll = server.closeAllConnections.bind(server)
  server.closeAllConnections = () => {
    for (const socket of waiting) socket.destroy()
    closeAll()
  }
  return server
}
