import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { PortFrame } from '../../../common/engine-api'
import type { ServerMessage } from '../../../common/protocol'
import type { ParseSettingsInput } from '../../../common/values/parse-settings'
import { startScriptedBridge, type ScriptedBridge } from '../../helpers/scripted-bridge'
import { waitFor } from '../../helpers/wait'
import { TestClient } from '../../helpers/ws-client'

type Data = Extract<ServerMessage, { type: 'data' }>

/** A frame the instrument sends, and what its `data` message carries (null: no values). */
type Case = [frame: string, values: Record<string, number> | null, units?: Record<string, string>]

const MODES: Array<[ParseSettingsInput, Case[]]> = [
  [
    { mode: 'keyValue' },
    [
      ['T=22.4,RH=45.2', { T: 22.4, RH: 45.2 }],
      ['T:22.5 RH:45.3', { T: 22.5, RH: 45.3 }],
      ['V=1.5V;I=-0.02A', { V: 1.5, I: -0.02 }, { V: 'V', I: 'A' }],
      ['hello world', null],
      ['T=warm', null],
    ],
  ],
  [
    { mode: 'csv', columns: ['T', 'RH'], units: { T: '°C' } },
    [
      ['22.4,45.2', { T: 22.4, RH: 45.2 }, { T: '°C' }],
      ['22.6', { T: 22.6 }, { T: '°C' }],
      ['a,b', null],
    ],
  ],
  [
    { mode: 'number', name: 'mass' },
    [
      ['+  12.345 g', { mass: 12.345 }, { mass: 'g' }],
      ['-0.5', { mass: -0.5 }],
      ['ST,GS,+0012.3', null],
      ['OVERLOAD', null],
    ],
  ],
  [
    { mode: 'regex', pattern: String.raw`^V=(?<V>[-\d.]+) I=(?<I>[-\d.]+)$` },
    [
      ['V=1.25 I=0.5', { V: 1.25, I: 0.5 }],
      ['V=x I=y', null],
      ['nothing', null],
    ],
  ],
  [
    { mode: 'json' },
    [
      ['{"t":21.5,"env":{"rh":40,"ok":true}}', { t: 21.5, 'env.rh': 40 }],
      ['{"t":', null],
      ['[1,2]', null],
    ],
  ],
]

/** Numbers parsed once per frame, in the engine, before any client sees the frame. */
describe('numeric channels through the engine', () => {
  let rig: ScriptedBridge
  let client: TestClient
  const frames: PortFrame[] = []

  before(async () => {
    rig = await startScriptedBridge('values', { id: 'meter', baudRate: 115200 }, (line) =>
      line === 'W?' ? '+ 1.5 kg' : undefined,
    )
    client = await TestClient.connect(`${rig.bridge.url}/ws`)
    await client.nextMessage('hello')
    client.send({ type: 'subscribe', ports: ['meter'] })
    await client.nextMessage('subscribed')
    rig.bridge.engine.on('frame', (f) => void frames.push(f))
  })
  after(async () => {
    await client.close()
    await rig.stop()
  })

  const info = () => rig.bridge.engine.listPorts()[0]!
  const setParse = async (parse: ParseSettingsInput) => {
    const done = await rig.bridge.engine.updatePort('meter', { ...info().settings, parse })
    assert.ok(done.ok, done.ok ? '' : done.errors.join('; '))
  }

  test('every parse mode: good frames carry values (and units), bad ones flow on and are counted', async () => {
    const openSince = info().metrics.openSince
    for (const [parse, cases] of MODES) {
      await setParse(parse)
      assert.equal(info().metrics.parseErrors, 0, 'a new parse setting counts afresh')
      const from = client.received.length
      await rig.meter.write(cases.map(([frame]) => frame).join('\n') + '\n')
      for (const [frame, values, units] of cases) {
        const m = await client.nextMessage('data', (d) => d.data === frame, { from })
        const expected: Partial<Data> = values ? { values, ...(units ? { units } : {}) } : {}
        assert.deepEqual(
          { values: m.values, units: m.units },
          { values: expected.values, units: expected.units },
          `${JSON.stringify(parse)}: ${frame}`,
        )
      }
      const bad = cases.filter(([, values]) => values === null).length
      assert.equal(info().metrics.parseErrors, bad, JSON.stringify(parse))
    }
    assert.equal(info().metrics.openSince, openSince, 'parse changes never reopened the port')
  })

  test('PortInfo lists the channels since open: last, unit, min, max and count', async () => {
    await setParse({ mode: 'keyValue' })
    await rig.meter.write('T=20C,RH=40\nT=22C\nT=21C,RH=50\nnoise\n')
    await waitFor(() => info().channels?.find((c) => c.name === 'T')?.count === 3, {
      what: 'three T values',
    })
    assert.deepEqual(info().channels, [
      { name: 'T', last: 21, min: 20, max: 22, count: 3, unit: 'C' },
      { name: 'RH', last: 50, min: 40, max: 50, count: 2 },
    ])
    assert.ok((await rig.bridge.engine.closePort('meter')).ok)
    assert.ok((await rig.bridge.engine.openPort('meter')).ok)
    await rig.meter.write('RH=41\n')
    await waitFor(() => info().channels?.length === 1, { what: 'channels counted from open' })
    assert.deepEqual(info().channels, [{ name: 'RH', last: 41, min: 41, max: 41, count: 1 }])
  })

  test("a poll's reply that is one unnamed number is filed under the poll's name; hosts get it too", async () => {
    await setParse({ mode: 'number' })
    client.send({
      type: 'startPoll',
      port: 'meter',
      name: 'weight',
      command: 'W?',
      intervalMs: 100,
    })
    await client.nextMessage('pollStarted')
    const reply = await client.nextMessage('data', (m) => m.poll === 'weight')
    assert.deepEqual([reply.values, reply.units], [{ weight: 1.5 }, { weight: 'kg' }])
    client.send({ type: 'stopPoll', port: 'meter', name: 'weight' })
    await client.nextMessage('pollStopped')
    // A frame not from a poll keeps the default name.
    await rig.meter.write('7.25\n')
    const own = await client.nextMessage('data', (m) => m.data === '7.25')
    assert.deepEqual(own.values, { value: 7.25 })
    // The engine's own frame events (what the UI's plot reads) carry the same numbers.
    const polled = frames.find((f) => f.poll === 'weight')
    assert.deepEqual(polled?.values, { weight: 1.5 })
    assert.deepEqual(frames.find((f) => f.values?.value === 7.25)?.units, undefined)
  })
})
