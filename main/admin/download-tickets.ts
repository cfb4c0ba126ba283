import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ADMIN_DOWNLOAD_PREFIX } from '../../common/admin-wire'
import type { Result } from '../../common/validation'

/** A ticket is good for one download, within this time. */
const TICKET_MS = 60_000
const MAX_TICKETS = 100

/**
 * Downloads for the browser UI: the admin channel (which checked the admin token) hands out a
 * ticket for a file the engine located inside the recordings folder; `GET /admin/download/T`
 * streams it once. No token and no path ever appear in the address.
 */
export function createDownloadTickets(now: () => number = Date.now) {
  const tickets = new Map<string, { path: string; name: string; expires: number }>()
  return {
    issue(path: string, name: string): Result<{ url: string }> {
      for (const [key, t] of tickets) if (t.expires <= now()) tickets.delete(key)
      if (tickets.size >= MAX_TICKETS) {
        return { ok: false, errors: ['too many downloads waiting: try again in a minute'] }
      }
      const ticket = randomBytes(24).toString('base64url')
      tickets.set(ticket, { path, name, expires: now() + TICKET_MS })
      return { ok: true, value: { url: `${ADMIN_DOWNLOAD_PREFIX}${ticket}` } }
    },

    /** True when the request was a download (answered, or refused with 404). */
    serve(req: IncomingMessage, res: ServerResponse, path: string): boolean {
      if (!path.startsWith(ADMIN_DOWNLOAD_PREFIX)) return false
      const key = path.slice(ADMIN_DOWNLOAD_PREFIX.length)
      const ticket = tickets.get(key)
      tickets.delete(key)
      const refuse = (status: number, text: string) =>
        void res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text + '\n')
      if (req.method !== 'GET') return (refuse(405, 'GET only'), true)
      if (!ticket || ticket.expires <= now())
        return (refuse(404, 'no such download (they work once, for a minute)'), true)
      void stat(ticket.path).then(
        (info) => {
          res.writeHead(200, {
            'content-type': ticket.name.endsWith('.csv')
              ? 'text/csv; charset=utf-8'
              : 'application/x-ndjson',
            'content-length': info.size,
            'content-disposition': `attachment; filename="${ticket.name.replace(/[^A-Za-z0-9._~-]/g, '_')}"`,
            'cache-control': 'no-store',
          })
          createReadStream(ticket.path, { end: info.size - 1 })
            .on('error', () => res.destroy())
            .pipe(res)
        },
        () => refuse(404, 'the file is gone'),
      )
      return true
    },
  }
}
