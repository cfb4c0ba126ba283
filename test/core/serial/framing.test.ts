import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { once } from 'node:events'
import { createFramer } from '../../../main/core/serial/framing'
import { createFrameDecoder } from '../../../main/core/serial/frame-decoder'
import { framingSchema } from '../../../common/settings-schema'

async function frame(
  input: Parameters<typeof framingSchema.parse>[0],
  chunks: Buffer[],
): Promise<string[]> {
  const framer = createFramer(framingSchema.parse(input))
  const out: string[] = []
  framer.on('data', (b: Buffer) => out.push(b.toString('latin1')))
  for (const c of chunks) framer.write(c)
  framer.end()
  await once(framer, 'end').catch(() => undefined)
  return out
}

describe('framing', () => {
  test('delimiter: any byte sequence, stripped, across chunk boundaries', async () => {
    assert.deepEqual(
      await frame({ mode: 'delimiter' }, [Buffer.from('a\nb'), Buffer.from('c\n')]),
      ['a', 'bc'],
    )
    assert.deepEqual(
      await frame({ mode: 'delimiter', delimiter: '\r\n' }, [
        Buffer.from('1\r'),
        Buffer.from('\n2\r\n'),
      ]),
      ['1', '2'],
    )
    assert.deepEqual(
      await frame({ mode: 'delimiter', delimiter: '\u0003' }, [
        Buffer.from('\u0002A\u0003\u0002B\u0003'),
      ]),
      ['\u0002A', '\u0002B'],
    )
    assert.deepEqual(
      await frame({ mode: 'delimiter', delimiter: '\u00ff' }, [
        Buffer.from([0x41, 0xff, 0x42, 0xff]),
      ]),
      ['A', 'B'],
    )
  })

  test('length: fixed-size frames', async () => {
    assert.deepEqual(
      await frame({ mode: 'length', length: 3 }, [Buffer.from('abcd'), Buffer.from('ef')]),
      ['abc', 'def'],
    )
  })

  test('idle: a frame ends after a gap', async () => {
    const framer = createFramer(framingSchema.parse({ mode: 'idle', idleMs: 20 }))
    const got = once(framer, 'data')
    framer.write(Buffer.from('ab'))
    framer.write(Buffer.from('cd'))
    assert.equal(((await got)[0] as Buffer).toString(), 'abcd')
    framer.destroy()
  })

  test('raw: every chunk is a frame', async () => {
    assert.deepEqual(await frame({ mode: 'raw' }, [Buffer.from('x'), Buffer.from('yz')]), [
      'x',
      'yz',
    ])
  })
})

describe('frame decoding', () => {
  test('a UTF-8 character split across two frames survives (streaming decoder)', () => {
    const decode = createFrameDecoder('utf8')
    const bytes = Buffer.from('25 µV', 'utf8')
    const cut = bytes.indexOf(0xc2) + 1
    const first = decode(bytes.subarray(0, cut))
    const second = decode(bytes.subarray(cut))
    assert.equal(`${first.text}${second.text}`, '25 µV')
    assert.ok(first.valid && second.valid)
  })

  test('invalid UTF-8 is flagged (sent as base64 in JSON) and the decoder recovers', () => {
    const decode = createFrameDecoder('utf8')
    assert.equal(decode(Buffer.from([0x41, 0xff, 0xfe])).valid, false)
    assert.deepEqual(
      decode(Buffer.from('ok')),
      { text: null, valid: true },
      'ASCII: text is the bytes',
    )
  })

  test('an ASCII frame is not waved through while the decoder holds part of a character', () => {
    const decode = createFrameDecoder('utf8')
    assert.deepEqual(decode(Buffer.from([0x41, 0xc2])), { text: 'A', valid: true })
    // 0xC2 needs a continuation byte; "V" is not one, so this frame is flagged, not passed as ASCII.
    assert.equal(decode(Buffer.from('V')).valid, false)
    assert.deepEqual(decode(Buffer.from('W')), { text: null, valid: true })
  })

  test('bytes EF BB BF are data, not a byte-order mark, even after ASCII frames', () => {
    const decode = createFrameDecoder('utf8')
    assert.deepEqual(decode(Buffer.from('ok')), { text: null, valid: true })
    assert.deepEqual(decode(Buffer.from([0xef, 0xbb, 0xbf, 0x61])), {
      text: '\ufeffa',
      valid: true,
    })
    assert.deepEqual(createFrameDecoder('utf8')(Buffer.from([0xef, 0xbb, 0xbf])), {
      text: '\ufeff',
      valid: true,
    })
  })

  test('latin1 and ascii', () => {
    assert.deepEqual(createFrameDecoder('latin1')(Buffer.from([0xb5])), { text: 'µ', valid: true })
    assert.equal(createFrameDecoder('ascii')(Buffer.from([0xb5])).valid, false)
    assert.deepEqual(createFrameDecoder('ascii')(Buffer.from('OK')), { text: null, valid: true })
  })
})
