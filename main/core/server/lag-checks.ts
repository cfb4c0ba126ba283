import type { Client } from './client'

/** How often lagging clients are checked for having drained (or for lagging too long). */
const LAG_CHECK_MS = 250

/** Checks lagging clients four times a second (see `Client.checkLag`); returns the stop function. */
export function startLagChecks(clients: () => Iterable<Client>): () => void {
  const timer = setInterval(() => {
    const now = Date.now()
    for (const client of clients()) if (client.lagging) client.checkLag(now)
  }, LAG_CHECK_MS)
  return () => clearInterval(timer)
}
