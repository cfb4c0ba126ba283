import { stat } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve } from 'node:path'

/**
 * The built UI's files, as both hosts serve them: browser mode over HTTP at `/app/`
 * (static-ui.ts) and the desktop window over `app://bridge/` (shell/renderer-protocol.ts).
 * Path resolution, types and headers live here once; the two adapters only move bytes.
 */

/**
 * The UI's Content-Security-Policy, for both hosts: only our own scripts and styles, no inline
 * code, no eval, no plugins or frames. `connect-src 'self'` also covers the admin WebSocket of
 * browser mode (CSP 3: 'self' matches ws: and wss: to the page's own host and port); the
 * desktop UI talks to main only through the preload.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ')

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
}

/** Sent with every answer, files and refusals alike. */
const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
}

export type StaticAnswer =
  | { status: 200; headers: Record<string, string>; file: string; size: number }
  | { status: 404 | 405; headers: Record<string, string>; body: string }

/**
 * Finds the file for one request. `path` is the decoded path below the mount point
 * (`assets/index.js`; empty or ending in `/` means its `index.html`). Nothing outside `root`
 * is ever read, however the path is spelled; only regular files are served.
 */
export async function findStaticFile(
  root: string,
  path: string,
  method = 'GET',
): Promise<StaticAnswer> {
  if (method !== 'GET' && method !== 'HEAD') return staticRefusal(405)
  const file = insideRoot(root, path === '' || path.endsWith('/') ? `${path}index.html` : path)
  if (file === null) return staticRefusal(404)
  const found = await stat(file).catch(() => null)
  if (!found?.isFile()) return staticRefusal(404)
  return {
    status: 200,
    file,
    size: found.size,
    headers: {
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'cache-control': 'no-cache',
      ...COMMON_HEADERS,
    },
  }
}

/** The absolute path of `path` under `root`, or null when it would leave it (or names root itself). */
function insideRoot(root: string, path: string): string | null {
  if (path.includes('\0')) return null
  const base = resolve(root)
  // Backslashes are separators on Windows: `..\\secret` must not climb out there either.
  const file = resolve(base, `.${sep(path)}`)
  const inside = relative(base, file)
  if (inside === '' || inside.split(/[\\/]/)[0] === '..' || isAbsolute(inside)) return null
  return file
}

function sep(path: string): string {
  const slashed = path.replaceAll('\\', '/')
  return slashed.startsWith('/') ? slashed : `/${slashed}`
}

/** 404 for anything not served (including a path that could not be decoded), 405 for a write. */
export function staticRefusal(status: 404 | 405): Exclude<StaticAnswer, { status: 200 }> {
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    ...COMMON_HEADERS,
  }
  if (status === 405) headers.allow = 'GET, HEAD'
  return { status, headers, body: status === 404 ? 'not found\n' : 'method not allowed\n' }
}
