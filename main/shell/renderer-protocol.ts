import { readFile } from 'node:fs/promises'
import type { Protocol } from 'electron'
import { findStaticFile, staticRefusal, type StaticAnswer } from '../admin/static-files'
import { decodePath } from '../core/server/request-target'

/**
 * The built UI is served from `app://bridge/` rather than `file://`: a real origin for ES
 * modules and `'self'`, and a place to send the CSP as a header (checklist item 18). The
 * files, types and headers are the browser mode's (admin/static-files.ts).
 */
export const RENDERER_SCHEME = 'app'
export const RENDERER_HOST = 'bridge'
export const RENDERER_URL = `${RENDERER_SCHEME}://${RENDERER_HOST}/index.html`

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
  const url = URL.canParse(requestUrl) ? new URL(requestUrl) : null
  const path = url?.host === RENDERER_HOST ? decodePath(url.pathname) : null
  const answer = path === null ? staticRefusal(404) : await findStaticFile(root, path)
  if (answer.status === 200) {
    // Gone between the lookup and the read: as if it had never been there.
    const body = await readFile(answer.file).catch(() => null)
    if (body) return new Response(new Uint8Array(body), { status: 200, headers: answer.headers })
  }
  return refusalResponse(answer.status === 200 ? staticRefusal(404) : answer)
}

function refusalResponse(answer: Exclude<StaticAnswer, { status: 200 }>): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers })
}
