import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAX_JSON_DEPTH, parseStrictJson } from '../../../main/core/protocol/strict-json'

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth)

describe('the strict JSON reader', () => {
  it('reads what JSON.parse reads', () => {
    const text = '{"type":"ping","id":{"a":[1,"x",{"b":null}],"c":"\\"{["},"e":"\\u0074"}'
    assert.deepEqual(parseStrictJson(text), { ok: true, value: JSON.parse(text) })
  })

  it(`accepts nesting up to ${MAX_JSON_DEPTH} levels and refuses deeper, however deep`, () => {
    assert.equal(parseStrictJson(nested(MAX_JSON_DEPTH)).ok, true)
    for (const depth of [MAX_JSON_DEPTH + 1, 50_000, 500_000]) {
      assert.deepEqual(parseStrictJson(`{"type":"ping","id":${nested(depth)}}`), {
        ok: false,
        problem: 'depth',
        message: `nested deeper than ${MAX_JSON_DEPTH} levels`,
      })
    }
  })

  it('counts only brackets outside strings', () => {
    const text = JSON.stringify({ data: '['.repeat(1000) + '{'.repeat(1000) })
    assert.equal(parseStrictJson(text).ok, true)
  })

  it('refuses a key given twice in one object, naming it, at any depth and however escaped', () => {
    for (const [text, key] of [
      ['{"type":"ping","type":"write","port":"p","data":"x"}', 'type'],
      ['{"type":"ping","id":{"a":1,"b":{"c":2},"a":3}}', 'a'],
      ['{"t\\u0079pe":"ping", "type" : "list"}', 'type'],
      ['[{"x":1},{"y":2,"y":3}]', 'y'],
    ] as const) {
      const read = parseStrictJson(text)
      assert.deepEqual(
        read,
        {
          ok: false,
          problem: 'duplicate',
          message: `duplicate key "${key}": each key may appear once`,
        },
        text,
      )
    }
  })

  it('finds where strings end past escaped quotes and backslashes', () => {
    for (const value of [
      { 'a"': 1, b: '"{' },
      { 'a\\': '\\', b: '\\"}' },
    ]) {
      assert.deepEqual(parseStrictJson(JSON.stringify(value)), { ok: true, value })
    }
    const read = parseStrictJson('{"a\\"":"\\\\","a\\"":2}')
    assert.equal(read.ok ? '' : read.message, 'duplicate key "a"": each key may appear once')
  })

  it('lets the same key appear in different objects and as a string value', () => {
    assert.equal(parseStrictJson('[{"a":1},{"a":2}]').ok, true)
    assert.equal(parseStrictJson('{"a":{"a":"a"},"b":["a","a"]}').ok, true)
  })

  it('reports malformed text as a syntax problem, also when it looks like a duplicate', () => {
    for (const text of ['{"a":1 "a":2}', '{"a":', 'nope', '"\\', '']) {
      const read = parseStrictJson(text)
      assert.equal(read.ok ? 'ok' : read.problem, 'syntax', text)
    }
  })
})
