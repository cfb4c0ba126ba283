import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compileSafePattern } from '../../../common/safe-pattern'
import { createFrameParser } from '../../../common/values/parse-frame'
import { parseSettingsSchema, type ParseSettings } from '../../../common/values/parse-settings'
import { formatIssues } from '../../../common/validation'

const parser = (input: unknown) => {
  const settings: ParseSettings = parseSettingsSchema.parse(input)
  const parse = createFrameParser(settings)
  assert.ok(parse)
  return parse
}

describe('frames become named numbers', () => {
  test('none parses nothing', () => {
    assert.equal(createFrameParser(parseSettingsSchema.parse({ mode: 'none' })), null)
  })

  test('keyValue: both common styles with the defaults, units after the number', () => {
    const parse = parser({ mode: 'keyValue' })
    assert.deepEqual(parse('T=22.4,RH=45.2'), { values: { T: 22.4, RH: 45.2 } })
    assert.deepEqual(parse('T:22.4 RH:45.2'), { values: { T: 22.4, RH: 45.2 } })
    assert.deepEqual(parse('T: 22.4  RH: 45.2'), { values: { T: 22.4, RH: 45.2 } })
    assert.deepEqual(parse('V=1.5V;I=-0.02A'), {
      values: { V: 1.5, I: -0.02 },
      units: { V: 'V', I: 'A' },
    })
    assert.equal(parse('hello world'), null)
    assert.equal(parse('T=warm'), null)
    // A pair that is not a number is skipped; the rest still parses.
    assert.deepEqual(parse('T=22.4,state=ok'), { values: { T: 22.4 } })
  })

  test('keyValue with other separators and fixed units', () => {
    const parse = parser({
      mode: 'keyValue',
      pairSeparators: '>',
      itemSeparators: '|',
      units: { T: '°C' },
    })
    assert.deepEqual(parse('T>21|P>1013'), { values: { T: 21, P: 1013 }, units: { T: '°C' } })
  })

  test('csv: columns by position, fewer cells allowed, bad cells skipped', () => {
    const parse = parser({ mode: 'csv', columns: ['T', 'RH'] })
    assert.deepEqual(parse('22.4,45.2'), { values: { T: 22.4, RH: 45.2 } })
    assert.deepEqual(parse('22.4'), { values: { T: 22.4 } })
    assert.deepEqual(parse('x,45.2'), { values: { RH: 45.2 } })
    assert.equal(parse('a,b'), null)
    const semi = parser({ mode: 'csv', columns: ['a', 'b', 'c'], separator: ';' })
    assert.deepEqual(semi('1;2;3;4'), { values: { a: 1, b: 2, c: 3 } })
  })

  test('number: as balances print it, sign and spaces and unit', () => {
    const parse = parser({ mode: 'number', name: 'mass' })
    assert.deepEqual(parse('+  12.345 g'), { values: { mass: 12.345 }, units: { mass: 'g' } })
    assert.deepEqual(parse('-0.5'), { values: { mass: -0.5 } })
    assert.deepEqual(parse('1e-3 V'), { values: { mass: 0.001 }, units: { mass: 'V' } })
    assert.equal(parse('ERR 4'), null)
    assert.equal(parse('12.3 g extra'), null)
    assert.equal(parse(''), null)
    const unnamed = parser({ mode: 'number' })
    assert.deepEqual(unnamed('7'), { values: { value: 7 }, unnamed: true })
  })

  test('regex: named groups, RE2 syntax', () => {
    const parse = parser({ mode: 'regex', pattern: 'T=(?<T>[-\\d.]+) P=(?<P>\\S+)' })
    assert.deepEqual(parse('now T=21.5 P=1013'), { values: { T: 21.5, P: 1013 } })
    assert.deepEqual(parse('T=21.5 P=n/a'), { values: { T: 21.5 } })
    assert.equal(parse('nothing'), null)
  })

  test('json: numeric fields, nested as a.b, or the ones named', () => {
    const all = parser({ mode: 'json' })
    assert.deepEqual(all('{"t":1.5,"env":{"rh":40,"ok":true},"name":"x","list":[1]}'), {
      values: { t: 1.5, 'env.rh': 40 },
    })
    assert.equal(all('[1,2]'), null)
    assert.equal(all('{"t":'), null)
    const some = parser({ mode: 'json', fields: ['env.rh'], units: { 'env.rh': '%' } })
    assert.deepEqual(some('{"t":1.5,"env":{"rh":40}}'), {
      values: { 'env.rh': 40 },
      units: { 'env.rh': '%' },
    })
  })

  test('a wrong setting names the field and says why', () => {
    const errors = (input: unknown): string[] => {
      const r = parseSettingsSchema.safeParse(input)
      return r.success ? [] : formatIssues(r.error)
    }
    assert.match(errors({ mode: 'regex', pattern: '(' }).join(), /pattern: does not compile/)
    assert.match(
      errors({ mode: 'regex', pattern: 'T=\\d+' }).join(),
      /pattern: needs a named group/,
    )
    assert.match(errors({ mode: 'csv', columns: [] }).join(), /columns/)
    assert.match(errors({ mode: 'csv', columns: ['1x'] }).join(), /columns\[0\]: a channel name/)
    assert.match(errors({ mode: 'keyvalue' }).join(), /mode/)
  })

  test('patterns from outside match in linear time: a catastrophic one still returns', () => {
    const compiled = compileSafePattern('(a+)+$')
    assert.ok(compiled.ok)
    assert.equal(compiled.value.test('a'.repeat(20_000) + 'b'), false)
    const refused = compileSafePattern('(?<=x)y')
    assert.equal(refused.ok, false)
  })
})
