import type { IncomingMessage } from 'node:http'
import { parseStrictJson } from '../protocol/strict-json'
import { RestError } from './rest-route'

/** A request body as the API reads it: JSON (by its Content-Type) or text. */
export type RequestBody = { kind: 'json'; value: unknown } | { kind: 'text'; text: string }

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Reads a body of at most `maxBytes` (`server.maxPayloadBytes`): a larger Content-Length is
 * refused before a byte is read, a longer chunked body as soon as it passes the bound. Bodies
 * must be UTF-8; JSON goes through the strict reader (depth, duplicate keys).
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<RequestBody> {
  const tooLarge = () =>
    new RestError('TOO_LARGE', `the body is over ${maxBytes} bytes (server.maxPayloadBytes)`)
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > maxBytes) throw tooLarge()
  const body = await collect(req, maxBytes, tooLarge)
  let text: string
  try {
    text = UTF8.decode(body)
  } catch {
    throw new RestError('BAD_MESSAGE', 'the body is not UTF-8 text')
  }
  if (!isJson(req.headers['content-type'])) return { kind: 'text', text }
  const read = parseStrictJson(text)
  if (!read.ok) {
    const why = read.problem === 'syntax' ? `malformed JSON: ${read.message}` : read.message
    throw new RestError('BAD_MESSAGE', why)
  }
  return { kind: 'json', value: read.value }
}

/** `application/json`, with or without parameters (`; charset=utf-8`). */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json'
}

/**
 * Events rather than `for await`: leaving that loop early destroys the socket, and the 413
 * could not be sent. Past the bound the rest is not kept (the answer closes the connection).
 */
function collect(req: IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size <= maxBytes) return void chunks.push(chunk)
      req.off('data', onData)
      // Read on (and drop) what still comes, so the client gets to read the answer.
      req.resume()
      reject(tooLarge())
    }
    req.on('data', onData)
    req.once('end', () => resolve(Buffer.concat(chunks)))
    req.once('error', reject)
  })
}
