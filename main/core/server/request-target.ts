/**
 * The one way a handler reads a request's target (`/ports/demo?format=json`). Node hands it over
 * as the raw text of the request line, and `new URL` and `decodeURIComponent` throw on some of
 * what a stranger can send (`//`, `//[`, `/ports/%`): read here, a bad target is an answer.
 */
export interface RequestTarget {
  /** Only `pathname` and `searchParams` mean anything: the host is a fixed placeholder. */
  url: URL
  /** The pathname with its percent-escapes decoded: what routes compare and port ids come from. */
  path: string
}

export type TargetReading =
  { ok: true; target: RequestTarget } | { ok: false; status: 400 | 404; message: string }

const BASE = 'http://bridge.invalid'
const BASE_HOST = 'bridge.invalid'

/**
 * 400 when the target is not a plain path (absolute URLs, `*`, and `//…` or `/\…`, which URL
 * parsers read as a host); 404 when its percent-escapes do not decode (no route has such a name).
 */
export function readRequestTarget(raw: string | undefined): TargetReading {
  const bad = {
    ok: false,
    status: 400,
    message: 'Bad request target: expected a path such as /ws',
  } as const
  if (raw === undefined || !raw.startsWith('/')) return bad
  let url: URL
  try {
    url = new URL(raw, BASE)
  } catch {
    return bad
  }
  if (url.host !== BASE_HOST) return bad
  const path = decodePath(url.pathname)
  if (path === null) return { ok: false, status: 404, message: `No endpoint ${url.pathname}` }
  return { ok: true, target: { url, path } }
}

/** `decodeURIComponent`, with null for escapes that are not UTF-8 (`%`, `%E0%A4%A`). */
export function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname)
  } catch {
    return null
  }
}
