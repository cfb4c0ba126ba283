import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { UI_PATH } from '../../common/admin-wire'
import type { ServerExtension } from '../core/server/bridge-server'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/** The same policy as the desktop window: our own files, and WebSockets to this server. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"

/** Serves the built renderer (`out/renderer`) at `/app/`, read-only, nothing outside that folder. */
export function serveStaticUi(root: string): ServerExtension {
  const base = normalize(root + sep)
  return {
    http(req, res, url) {
      if (url.pathname === UI_PATH.slice(0, -1)) {
        res.writeHead(301, { location: UI_PATH }).end()
        return true
      }
      if (!url.pathname.startsWith(UI_PATH)) return false
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end()
        return true
      }
      const relative = decodeURIComponent(url.pathname.slice(UI_PATH.length)) || 'index.html'
      const file = normalize(join(base, relative))
      if (!file.startsWith(base)) {
        res.writeHead(404).end()
        return true
      }
      void stat(file).then(
        (s) => {
          if (!s.isFile()) return void res.writeHead(404).end()
          res.writeHead(200, {
            'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
            'content-length': s.size,
            'content-security-policy': CSP,
            'x-content-type-options': 'nosniff',
            'cache-control': 'no-cache',
          })
          if (req.method === 'HEAD') return void res.end()
          createReadStream(file).pipe(res)
        },
        () => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n'),
      )
      return true
    },
  }
}
