import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { StreamFrame } from '../../common/contract'
import { ColumnDownsampler, MAX_COLUMNS } from '../../renderer/src/plot/downsample'
import { plotCsv } from '../../renderer/src/plot/plot-csv'
import { PlotStore } from '../../renderer/src/plot/plot-store'
import {
  BUCKETS_PER_WINDOW,
  MAX_PLOT_CHANNELS,
  PLOT_WINDOWS,
} from '../../renderer/src/plot/plot-windows'
import { PortSeries } from '../../renderer/src/plot/port-series'

const T0 = Date.UTC(2026, 10, 5, 14, 0, 0)
const TEN_S = 0
const ONE_H = 3

/** 4 channels at `rate` samples/s for `seconds`, as a fast instrument sends them. */
function feed(series: PortSeries, seconds: number, rate: number, from = T0) {
  for (let i = 0; i < seconds * rate; i++) {
    const ts = from + (i * 1000) / rate
    const s = Math.sin(i / 50)
    series.add(ts, { A: s, B: 2 * s, C: i % 7, D: 100 + s })
  }
}

const bytesOf = (series: PortSeries) =>
  series.tiers.reduce(
    (sum, t) =>
      sum +
      t.key.byteLength +
      t.lastTs.byteLength +
      t.channels.reduce(
        (s, c) =>
          s +
          c.count.byteLength +
          c.sum.byteLength +
          c.min.byteLength +
          c.max.byteLength +
          c.last.byteLength,
        0,
      ),
    0,
  )

describe('plot series', () => {
  test('memory is fixed by window and channel count, not by how much data came', () => {
    const series = new PortSeries()
    feed(series, 10, 1000)
    const after10s = bytesOf(series)
    feed(series, 120, 1000, T0 + 10_000)
    assert.equal(bytesOf(series), after10s)
    for (const tier of series.tiers) assert.equal(tier.key.length, BUCKETS_PER_WINDOW + 2)
  })

  test('each window holds its span: the newest 10 s at 5 ms buckets, an hour at 1.8 s', () => {
    const series = new PortSeries()
    feed(series, 30, 100)
    const end = T0 + 30_000
    const counted = (tier: number, from: number) => {
      let n = 0
      series.tiers[tier]!.forEach(from, end, (slot) => {
        n += series.tiers[tier]!.channels[0]!.count[slot]!
      })
      return n
    }
    assert.equal(counted(TEN_S, end - 10_000), 1000, '10 s at 100/s, every sample kept')
    const kept = counted(TEN_S, T0)
    assert.ok(kept >= 1000 && kept <= 1002, `the 10 s ring keeps 10 s and a bucket: ${kept}`)
    assert.equal(counted(ONE_H, T0), 3000, 'the hour ring still has all 30 s')
    assert.deepEqual(
      series.tiers.map((t) => t.width),
      PLOT_WINDOWS.map((w) => w.ms / BUCKETS_PER_WINDOW),
    )
  })

  test('the downsampled curve keeps every extreme in at most two points per pixel column', () => {
    const series = new PortSeries()
    feed(series, 10, 1000)
    const end = T0 + 10_000
    const points = new ColumnDownsampler().run(series.tiers[TEN_S]!, end - 10_000, end, 800)
    assert.ok(points.x.length <= 1600, `${points.x.length} points for 800 columns`)
    assert.equal(points.y.length, 4)
    const [a, , c, d] = points.readouts
    assert.equal(a!.count, 10_000)
    let min = Infinity
    let max = -Infinity
    for (let i = 0; i < 10_000; i++) {
      min = Math.min(min, Math.sin(i / 50))
      max = Math.max(max, Math.sin(i / 50))
    }
    assert.equal(a!.min, min)
    assert.equal(a!.max, max)
    assert.equal(Math.min(...points.y[0]!), min, 'the lowest sample is drawn')
    assert.equal(Math.max(...points.y[0]!), max, 'the highest sample is drawn')
    assert.deepEqual([c!.min, c!.max, c!.last], [0, 6, 9999 % 7])
    assert.equal(d!.last, 100 + Math.sin(9999 / 50))
    for (let i = 1; i < points.x.length; i++) assert.ok(points.x[i]! >= points.x[i - 1]!)
  })

  test('a channel missing from a column is NaN there, and a wide screen is capped', () => {
    const series = new PortSeries()
    for (let i = 0; i < 100; i++) {
      series.add(T0 + i * 100, { T: 20 + i / 10 })
      if (i % 10 === 0) series.add(T0 + i * 100, { volt: 12 })
    }
    const end = T0 + 10_000
    const points = new ColumnDownsampler().run(series.tiers[TEN_S]!, end - 10_000, end, 10_000)
    assert.equal(points.x.length, 200, 'one column per sample, two points each')
    const volt = [...points.y[1]!]
    assert.equal(volt.filter((v) => v === 12).length, 20)
    assert.equal(volt.filter((v) => Number.isNaN(v)).length, 180)
    assert.equal(points.readouts[1]!.count, 10)
    const capped = new ColumnDownsampler().run(series.tiers[TEN_S]!, end - 10_000, end, 1e9)
    assert.ok(capped.x.length <= 2 * MAX_COLUMNS)
  })

  test('a paused copy stays as it was while new samples arrive', () => {
    const series = new PortSeries()
    feed(series, 2, 100)
    const paused = series.clone()
    series.add(T0 + 2500, { A: 1000, E: 5 })
    const end = T0 + 3000
    const frozen = new ColumnDownsampler().run(paused.tiers[TEN_S]!, end - 10_000, end, 500)
    assert.equal(frozen.readouts[0]!.count, 200)
    assert.ok(frozen.readouts[0]!.max < 1000)
    assert.deepEqual(
      paused.channels.map((c) => c.name),
      ['A', 'B', 'C', 'D'],
    )
    assert.equal(series.channels.length, 5)
  })

  test('samples older than a ring holds (a clock step back) never overwrite newer ones', () => {
    const series = new PortSeries()
    series.add(T0 + 20_000, { T: 1 })
    series.add(T0, { T: 99 })
    series.add(T0 + 19_999, { T: 2 })
    const end = T0 + 20_000
    const r = new ColumnDownsampler().run(series.tiers[TEN_S]!, end - 10_000, end, 100)
    assert.deepEqual([r.readouts[0]!.count, r.readouts[0]!.min, r.readouts[0]!.max], [2, 1, 2])
  })

  test(`at most ${MAX_PLOT_CHANNELS} channels are kept; the rest are named, not stored`, () => {
    const series = new PortSeries()
    const values = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`c${i}`, i]))
    series.add(T0, values)
    assert.equal(series.channels.length, MAX_PLOT_CHANNELS)
    assert.equal(series.skipped.size, MAX_PLOT_CHANNELS)
    assert.ok(series.skipped.has(`c${MAX_PLOT_CHANNELS}`))
  })
})

describe('plot CSV', () => {
  test('one row per sample while each bucket holds one, shown channels only, ISO times', () => {
    const series = new PortSeries()
    series.add(T0, { T: 22.4, RH: 45.2 }, { T: '°C' })
    series.add(T0 + 500, { T: 22.5 })
    series.add(T0 + 1000, { RH: 45.5, T: 22.6 })
    const csv = plotCsv(
      series.tiers[TEN_S]!,
      series.channels,
      [0, 1],
      T0 + 1000 - 10_000,
      T0 + 1000,
    )
    assert.equal(
      csv.text,
      [
        'time,T (°C),RH',
        '2026-11-05T14:00:00.000Z,22.4,45.2',
        '2026-11-05T14:00:00.500Z,22.5,',
        '2026-11-05T14:00:01.000Z,22.6,45.5',
        '',
      ].join('\n'),
    )
    assert.equal(csv.bucketMs, null)
    const onlyRh = plotCsv(series.tiers[TEN_S]!, series.channels, [1], T0 - 9000, T0 + 1000)
    assert.equal(onlyRh.rows, 2, 'rows without a shown channel are left out')
    assert.match(onlyRh.text, /^time,RH\n/)
  })

  test('when buckets hold several samples, each row is their mean, min and max', () => {
    const series = new PortSeries()
    for (let i = 0; i < 100; i++) series.add(T0 + i * 10, { 'T,inside': i })
    const end = T0 + 1000
    const csv = plotCsv(series.tiers[ONE_H]!, series.channels, [0], end - 3_600_000, end)
    assert.equal(csv.bucketMs, 1800)
    const [head, row] = csv.text.split('\n')
    assert.equal(head, 'time,"T,inside mean","T,inside min","T,inside max"')
    assert.equal(row, '2026-11-05T14:00:00.990Z,49.5,0,99')
  })
})

describe('plot store', () => {
  const frame = (extra: Partial<StreamFrame>): StreamFrame => ({
    port: 'meter',
    direction: 'rx',
    ts: T0,
    data: new Uint8Array(),
    ...extra,
  })

  test('takes received frames the engine parsed; sent frames and text are not numbers', () => {
    const store = new PlotStore()
    let told = 0
    const off = store.subscribe(() => told++)
    store.add({ frames: [frame({}), frame({ direction: 'tx', values: { X: 1 } })], dropped: 0 })
    assert.equal(told, 0)
    store.add({
      frames: [frame({ values: { V: 12.5 }, units: { V: 'V' }, poll: 'volt' })],
      dropped: 0,
    })
    assert.equal(told, 1)
    assert.deepEqual(store.of('meter').channels, [{ name: 'V', unit: 'V' }])
    store.clear('meter')
    assert.equal(store.of('meter').channels.length, 0)
    off()
  })
})
