/** What a REST call answered: status, headers, and the body parsed when it is JSON. */
export interface RestAnswer {
  status: number
  headers: Headers
  body: unknown
  text: string
}

/** Node's `fetch` against a bridge's REST API; `path` is under /api/v1. */
export function restClient(baseUrl: string) {
  const http = baseUrl.replace(/^ws/, 'http')
  return async (path: string, init: RequestInit = {}): Promise<RestAnswer> => {
    const res = await fetch(`${http}/api/v1${path}`, init)
    const text = await res.text()
    const json = res.headers.get('content-type')?.startsWith('application/json')
    return { status: res.status, headers: res.headers, body: json ? JSON.parse(text) : text, text }
  }
}

export const jsonBody = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})
