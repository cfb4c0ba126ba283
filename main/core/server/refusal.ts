import { STATUS_CODES, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'

/** Why an upgrade or request is turned away: the status, and a sentence for people. */
export interface Refusal {
  status: number
  message: string
}

/** A refused peer that keeps its side open is cut off after this (it would hold a descriptor). */
const LINGER_MS = 2000

/**
 * Answers a refused upgrade on the raw socket (no WebSocket was opened) with a one-line plain
 * text body, then closes it.
 */
export function writeRefusal(socket: Duplex, { status, message }: Refusal): void {
  const body = message + '\n'
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
  const timer = setTimeout(() => socket.destroy(), LINGER_MS)
  timer.unref()
  socket.once('close', () => clearTimeout(timer))
}

/** The same refusal on a plain HTTP request. */
export function answerRefusal(res: ServerResponse, { status, message }: Refusal): void {
  res
    .writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
    })
    .end(message + '\n')
}

/** A fault of ours while answering: 500 if nothing was sent yet, else cut the response short. */
export function answerFault(res: ServerResponse): void {
  if (res.headersSent) return void res.destroy()
  answerRefusal(res, { status: 500, message: 'Internal error in Serial Bridge (logged)' })
}
