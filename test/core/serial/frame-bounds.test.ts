import assert from 'node:assert/strict'
import { once } from 'node:events'
import { describe, test } from 'node:test'
import { framingSchema } from '../../../common/settings-schema'
import { createFramer } from '../../../main/core/serial/framing'
import { PortMetricsCounter } from '../../../main/core/serial/port-metrics'

type FramingInput = Parameters<typeof framingSchema.parse>[0]

/** Runs chunks through a framer; returns its frames and the port metrics it reported to. */
async function frame(input: FramingInput, chunks: (string | Buffer)[], now = () => 0) {
  const metrics = new PortMetricsCounter(now)
  const framer = createFramer(framingSchema.parse(input), metrics)
  const frames: Buffer[] = []
  framer.on('data', (b: Buffer) => frames.push(b))
  for (const c of chunks) framer.write(typeof c === 'string' ? Buffer.from(c, 'latin1') : c)
  const text = () => frames.map((f) => f.toString('latin1'))
  return { frames, text, metrics, framer }
}

/** Counts the bytes `Buffer#indexOf` looks at while `run` runs. */
async function scannedBytes(run: () => Promise<void>): Promise<number> {
  const original = Buffer.prototype.indexOf
  let scanned = 0
  Buffer.prototype.indexOf = function (this: Buffer, ...args: Parameters<typeof original>) {
    const offset = args[1]
    const from = typeof offset === 'number' ? (offset < 0 ? this.length + offset : offset) : 0
    scanned += Math.max(0, this.length - from)
    return original.apply(this, args)
  }
  try {
    await run()
  } finally {
    Buffer.prototype.indexOf = original
  }
  return scanned
}

describe('line framing', () => {
  test('is the default, and ends a frame at \\n, \\r\\n or \\r, stripped', async () => {
    assert.equal(framingSchema.parse({}).mode, 'line')
    const { text } = await frame({}, ['a\nb\r\nc\rd\n'])
    assert.deepEqual(text(), ['a', 'b', 'c', 'd'])
  })

  test('a \\r\\n pair split across reads is one ending; the frame leaves at the \\r', async () => {
    const { text, framer } = await frame({}, ['one\r'])
    assert.deepEqual(text(), ['one'], 'a CR-only instrument is not held back')
    framer.write(Buffer.from('\ntwo\r'))
    framer.write(Buffer.from('\n'))
    framer.write(Buffer.from('\nthree\r\r'))
    assert.deepEqual(text(), ['one', 'two', 'three'], 'no empty frame from the \\n of a \\r\\n')
  })

  test('a line across many reads comes out whole', async () => {
    const { text } = await frame({}, ['T=2', '2.5', '1,RH', '=45\r', '\n'])
    assert.deepEqual(text(), ['T=22.51,RH=45'])
  })

  test('a frame that grows past maxFrameBytes is cut there and counted', async () => {
    const { frames, metrics, framer } = await frame({ maxFrameBytes: 16 }, [
      'x'.repeat(10),
      'x'.repeat(30),
    ])
    assert.deepEqual(
      frames.map((f) => f.length),
      [16, 16],
    )
    assert.equal(metrics.framesCut, 2)
    framer.write(Buffer.from('yy\n'))
    assert.deepEqual(
      frames.map((f) => f.toString()),
      ['x'.repeat(16), 'x'.repeat(16), 'xxxxxxxxyy'],
    )
    assert.equal(metrics.snapshot().framesCut, 2)
  })

  test('a frame of exactly maxFrameBytes that then ends is not cut', async () => {
    const { frames, metrics } = await frame({ maxFrameBytes: 16 }, ['y'.repeat(16), '\n'])
    assert.deepEqual(
      frames.map((f) => f.length),
      [16],
    )
    assert.equal(metrics.framesCut, 0)
  })

  test('unended bytes and how long they have been arriving are in the metrics', async () => {
    let t = 1000
    const { metrics, framer } = await frame({}, [], () => t)
    framer.write(Buffer.from('partial'))
    t = 4500
    framer.write(Buffer.from('still no ending'))
    assert.deepEqual([metrics.snapshot().unendedBytes, metrics.snapshot().unendedMs], [22, 3500])
    framer.write(Buffer.from('\nnext'))
    assert.deepEqual([metrics.snapshot().unendedBytes, metrics.snapshot().unendedMs], [4, 0])
    framer.write(Buffer.from('\n'))
    assert.equal(metrics.snapshot().unendedBytes, 0)
  })
})

describe('delimiter framing', () => {
  test('a multi-byte delimiter that starts in an earlier read is found', async () => {
    const { text } = await frame({ mode: 'delimiter', delimiter: 'END' }, [
      'aaE',
      'N',
      'Dbb',
      'EN',
      'DccE',
      'ND',
    ])
    assert.deepEqual(text(), ['aa', 'bb', 'cc'])
  })

  test('existing settings with mode "delimiter" and "\\n" behave as before', async () => {
    const { text } = await frame({ mode: 'delimiter', delimiter: '\n' }, ['a\r\nb\n'])
    assert.deepEqual(text(), ['a\r', 'b'])
  })

  test('cut at maxFrameBytes too', async () => {
    const { frames, metrics } = await frame(
      { mode: 'delimiter', delimiter: '\u0003', maxFrameBytes: 16 },
      ['z'.repeat(40) + '\u0003'],
    )
    assert.deepEqual(
      frames.map((f) => f.length),
      [16, 16, 8],
    )
    assert.equal(metrics.framesCut, 2)
  })
})

describe('idle and raw framing are bounded too', () => {
  test('idle: a stream with no pause is cut at maxFrameBytes', async () => {
    const { frames, metrics, framer } = await frame(
      { mode: 'idle', idleMs: 20, maxFrameBytes: 16 },
      ['q'.repeat(20)],
    )
    assert.deepEqual(
      frames.map((f) => f.length),
      [16],
    )
    await once(framer, 'data')
    assert.deepEqual(
      frames.map((f) => f.length),
      [16, 4],
    )
    assert.equal(metrics.framesCut, 1)
    framer.destroy()
  })

  test('raw: a read larger than maxFrameBytes comes in pieces', async () => {
    const { frames } = await frame({ mode: 'raw', maxFrameBytes: 16 }, ['r'.repeat(40)])
    assert.deepEqual(
      frames.map((f) => f.length),
      [16, 16, 8],
    )
  })
})

describe('scanning is linear in the bytes read', () => {
  // 2 MiB with no ending, in 1 KiB reads: re-scanning what is held would look at ~2 GiB.
  const chunks = Array.from({ length: 2048 }, () => Buffer.alloc(1024, 0x41))
  const input = 2048 * 1024

  for (const framing of [
    { mode: 'delimiter' },
    { mode: 'delimiter', delimiter: '\r\n' },
    {},
  ] as const) {
    test(`${JSON.stringify(framing)}: each byte is looked at a bounded number of times`, async () => {
      const scanned = await scannedBytes(async () => {
        const { framer } = await frame(framing, chunks)
        framer.end()
      })
      assert.ok(scanned <= 3 * input, `looked at ${scanned} bytes for ${input} read`)
    })
  }
})
