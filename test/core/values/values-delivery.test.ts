import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { portDetailSchema } from '../../../common/rest/rest-schemas'
import { restClient } from '../../helpers/rest-client'
import { startScriptedBridge, type ScriptedBridge } from '../../helpers/scripted-bridge'
import { waitFor } from '../../helpers/wait'
import { TestClient } from '../../helpers/ws-client'

/**
 * Where parsed numbers reach tools besides the control endpoint: `values` (and `units`) on a
 * `format=json` port stream's `data` messages, and `lastFrame.values` on REST
 * `GET /api/v1/ports/{id}`, from a port with a parse setting on a socat pty.
 */
describe('values on format=json port streams and on REST', () => {
  let rig: ScriptedBridge
  let stream: TestClient

  before(async () => {
    rig = await startScriptedBridge(
      'values-delivery',
      { id: 'meter', baudRate: 115200, parse: { mode: 'keyValue' } },
      () => undefined,
    )
    stream = await TestClient.connect(`${rig.bridge.url}/ports/meter?format=json`)
  })
  after(async () => {
    await stream?.close()
    await rig?.stop()
  })

  test('format=json: data messages carry values and units; a frame that does not parse has none', async () => {
    await rig.meter.write('T=22.4,RH=45.2\nV=1.5V;I=-0.02A\nhello world\n')
    const reading = await stream.nextMessage('data', (m) => m.data === 'T=22.4,RH=45.2')
    assert.deepEqual(reading.values, { T: 22.4, RH: 45.2 })
    assert.equal(reading.units, undefined)
    const supply = await stream.nextMessage('data', (m) => m.data === 'V=1.5V;I=-0.02A')
    assert.deepEqual(
      [supply.values, supply.units],
      [
        { V: 1.5, I: -0.02 },
        { V: 'V', I: 'A' },
      ],
    )
    const noise = await stream.nextMessage('data', (m) => m.data === 'hello world')
    assert.equal(noise.values, undefined, 'delivered as data, without values')
    assert.equal(noise.units, undefined)
  })

  test('GET /api/v1/ports/{id}: lastFrame has the values (and units) of the last frame', async () => {
    const api = restClient(rig.bridge.url)
    /** Writes a line and waits until REST shows it as the port's last frame. */
    const lastFrameAfter = async (line: string) => {
      await rig.meter.write(`${line}\n`)
      return waitFor(
        async () => {
          const { lastFrame } = portDetailSchema.parse((await api('/ports/meter')).body)
          return lastFrame?.data === line && lastFrame
        },
        { what: `"${line}" as lastFrame` },
      )
    }
    const parsed = await lastFrameAfter('V=2.25V;I=0.5A')
    assert.deepEqual(
      [parsed.values, parsed.units],
      [
        { V: 2.25, I: 0.5 },
        { V: 'V', I: 'A' },
      ],
    )
    const unparsed = await lastFrameAfter('OVERLOAD')
    assert.equal(unparsed.values, undefined, 'no values left over from the frame before')
    assert.equal(unparsed.units, undefined)
  })
})
