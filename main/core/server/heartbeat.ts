import { randomBytes } from 'node:crypto'
import type { Client } from './client'

/**
 * WebSocket pings every interval; a client that has not answered the previous ping by the next
 * one is cut off (half-open peers never send a close frame). The ping carries a random payload
 * and only a pong that echoes it counts: unsolicited pongs from a socket that never reads (so
 * never sees the ping, queued behind what it has not read) keep nothing alive. Returns the stop
 * function.
 */
export function startHeartbeat(clients: () => Iterable<Client>, intervalMs: number): () => void {
  const timer = setInterval(() => {
    const payload = randomBytes(8)
    for (const client of clients()) {
      if (!client.alive) {
        client.ws.terminate()
        continue
      }
      client.pinged(payload)
      client.ws.ping(payload)
    }
  }, intervalMs)
  return () => clearInterval(timer)
}
