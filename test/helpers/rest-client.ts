import assert from 'node:assert/strict'
import { errorAnswerSchema } from '../../common/rest/rest-schemas'

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

/** Asserts an error answer: its status, its code and (optionally) its words. */
export function assertRestError(
  answer: RestAnswer,
  status: number,
  code: string,
  message?: RegExp,
) {
  assert.equal(answer.status, status, answer.text)
  const { error } = errorAnswerSchema.parse(answer.body)
  assert.equal(error.code, code)
  if (message) assert.match(error.message, message)
}
