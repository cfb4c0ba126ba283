import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve } from 'node:path'
import type { Protocol } from 'electron'
import { CONTENT_SECURITY_POLICY } from './security'

/**
 * The built UI is served from `app://bridge/` rather than `file://`: a real origin for ES
 * modules and `'self'`, and a place to send the CSP as a header (checklist item 18).
 */
export const RENDERER_SCHEME = 'app'
export const RENDERER_HOST = 'bridge'
export const RENDERER_URL = `${RENDERER_SCHEME}://${RENDERER_HOST}/index.html`

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

/** Must run before `app` is ready. */
export function registerRendererScheme(
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>,
): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: RENDERER_SCHEME,
      // standard: relative URLs and an origin; corsEnabled: module scripts load from it.
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
    },
  ])
}

export function serveRenderer(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(RENDERER_SCHEME, (request) => rendererResponse(root, request.url))
}

/** Answers one request from the files under `root`; nothing outside it is ever read. */
export async function rendererResponse(root: string, requestUrl: string): Promise<Response> {
  const url = new URL(requestUrl)
  if (url.host !== RENDERER_HOST) return notFound()
  let pathname: string
  try {
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return notFound()
  }
  if (pathname.endsWith('/')) pathname += 'index.html'
  const base = resolve(root)
  const file = resolve(base, `.${pathname}`)
  const inside = relative(base, file)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return notFound()
  let body: Buffer
  try {
    body = await readFile(file)
  } catch {
    return notFound()
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    },
  })
}

function notFound(): Response {
  return new Response('not found', {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  })
}
