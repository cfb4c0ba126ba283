import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import { DelimiterParser } from '@serialport/parser-delimiter'
import { Frame } from '../../../clients/js/src/index'
import { Clients, frames, MeterRig, take } from './helpers/rig'

/** Frame.values and Frame.units from a port that parses its frames (port setting `parse`). */
describe('values and units of a parsing port', () => {
  let rig: MeterRig
  const clients = new Clients()

  before(async () => {
    rig = await MeterRig.start({}, { parse: { mode: 'keyValue' } })
    rig.meter.port.pipe(new DelimiterParser({ delimiter: '\n' })).on('data', (line: Buffer) => {
      if (line.toString() === 'MEAS?') void rig.meter.write('T=21.5C,RH=40\n')
    })
  })
  afterEach(() => clients.closeAll())
  after(() => rig?.stop())

  test('stream: parsed frames carry values and units; a frame that does not parse has none', async () => {
    const { bridge } = await clients.direct(rig.headless.url)
    const stream = bridge.stream('meter')
    await stream.ready
    await rig.meter.write('T=22.4,RH=45.2\nV=1.5V;I=-0.02A\nhello world\n')
    const [reading, supply, noise] = frames(await take(stream, 3))
    assert.deepEqual([reading!.values, reading!.units], [{ T: 22.4, RH: 45.2 }, undefined])
    assert.deepEqual(
      [supply!.values, supply!.units],
      [
        { V: 1.5, I: -0.02 },
        { V: 'V', I: 'A' },
      ],
    )
    assert.deepEqual(
      [noise!.text, noise!.values, noise!.units],
      ['hello world', undefined, undefined],
    )
    stream.close()
  })

  test("a poll's reply carries its values", async () => {
    const { bridge } = await clients.direct(rig.headless.url)
    const stream = bridge.stream('meter')
    await stream.ready
    await bridge.startPoll('meter', 'env', 'MEAS?', { intervalMs: 100 })
    const [reply] = await take(stream, 1)
    await bridge.stopPoll('meter', 'env')
    assert.ok(reply instanceof Frame)
    assert.deepEqual(
      [reply.poll, reply.values, reply.units],
      ['env', { T: 21.5, RH: 40 }, { T: 'C' }],
    )
    stream.close()
  })
})
