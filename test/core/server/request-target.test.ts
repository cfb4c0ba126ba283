import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readRequestTarget } from '../../../main/core/server/request-target'

describe('reading a request target', () => {
  it('gives the decoded path and the query of a plain path', () => {
    const reading = readRequestTarget('/ports/COM%33?format=json&token=a%20b')
    assert.ok(reading.ok)
    assert.equal(reading.target.path, '/ports/COM3')
    assert.equal(reading.target.url.pathname, '/ports/COM%33')
    assert.equal(reading.target.url.searchParams.get('format'), 'json')
    assert.equal(reading.target.url.searchParams.get('token'), 'a b')
  })

  it('answers 400 for a target that is not a plain path', () => {
    for (const raw of [
      '//',
      '//[',
      '//evil.example/ws',
      '/\\evil.example/ws',
      '\\\\evil/ws',
      'http://127.0.0.1/ws',
      '*',
      '',
      undefined,
    ]) {
      const reading = readRequestTarget(raw)
      assert.equal(reading.ok ? 200 : reading.status, 400, String(raw))
    }
  })

  it('answers 404 for a path whose escapes do not decode', () => {
    for (const raw of ['/ports/%', '/ports/%E0%A4%A', '/app/%', '/app/%E0', '/%zz']) {
      const reading = readRequestTarget(raw)
      assert.equal(reading.ok ? 200 : reading.status, 404, raw)
      if (!reading.ok) assert.match(reading.message, /^No endpoint \//)
    }
  })

  it('does not mind a malformed escape in the query (URLSearchParams keeps it as text)', () => {
    const reading = readRequestTarget('/ws?token=%')
    assert.ok(reading.ok)
    assert.equal(reading.target.url.searchParams.get('token'), '%')
  })
})
