import type { Client } from './client'

/**
 * WebSocket pings every interval; a client that has not answered the previous ping by the next
 * one is cut off (half-open peers never send a close frame). Returns the stop function.
 */
export function startHeartbeat(clients: () => Iterable<Client>, intervalMs: number): () => void {
  const timer = setInterval(() => {
    for (const client of clients()) {
      if (!client.alive) {
        client.ws.terminate()
        continue
      }
      client.alive = false
      client.ws.ping()
    }
  }, intervalMs)
  return () => clearInterval(timer)
}
