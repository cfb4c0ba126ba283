import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { autoDetect } from '@serialport/bindings-cpp'
import { mqttSettingsSchema, portSettingsSchema } from '../../../common/settings-schema'
import { PortManager } from '../../../main/core/serial/port-manager'
import { withSimulator } from '../../../main/core/serial/sim-device'
import { STATUS_EVERY_MS, Uplink } from '../../../main/core/mqtt/uplink'
import { BROKER_PASSWORD, BROKER_USER, Mosquitto } from '../../helpers/mosquitto'
import { MqttProbe } from '../../helpers/mqtt-probe'
import { waitFor } from '../../helpers/wait'

/**
 * The retained port status is published again every STATUS_EVERY_MS (10 s) with fresh metrics,
 * though nothing about the port changed. The interval is the uplink's dependency, so the test
 * runs it at 100 ms against a real Mosquitto and a simulated port that keeps reading lines.
 */
describe('the retained port status, refreshed on a timer', () => {
  let broker: Mosquitto
  before(async () => {
    broker = await Mosquitto.start()
  })
  after(() => broker?.dispose())

  test('republished every statusEveryMs with fresh metrics, retained', async () => {
    assert.equal(STATUS_EVERY_MS, 10_000, 'docs/mqtt.md says every 10 s')
    const ports = new PortManager(
      { binding: withSimulator(autoDetect()) },
      { status: () => {}, removed: () => {}, rx: () => {}, tx: () => {}, devices: () => {} },
    )
    const uplink = new Uplink({
      ports,
      hostname: 'refresh-host',
      maxPayloadBytes: () => 1024 * 1024,
      clientRules: () => [],
      now: Date.now,
      changed: () => {},
      log: () => {},
      statusEveryMs: 100,
    })
    const probe = await MqttProbe.connect(broker.url)
    const topic = 'lab/refresh/ports/meter/status'
    try {
      const port = ports.add(portSettingsSchema.parse({ id: 'meter', path: 'sim:demo' }))
      await port.open()
      await probe.subscribe(topic)
      await uplink.apply(
        mqttSettingsSchema.parse({
          enabled: true,
          url: broker.url,
          username: BROKER_USER,
          password: BROKER_PASSWORD,
          clientId: 'bridge-refresh',
          topicPrefix: 'lab/refresh',
        }),
      )
      // Only the timer publishes here: this test hands the uplink no port events at all.
      await waitFor(() => probe.on(topic).length >= 4, {
        what: 'four status messages',
        timeoutMs: 15_000,
      })
      const states = probe
        .texts(topic)
        .map((t) => JSON.parse(t) as { state: string; metrics: { framesIn: number } })
      assert.ok(states.every((s) => s.state === 'open'))
      const framesIn = states.map((s) => s.metrics.framesIn)
      assert.ok(framesIn.at(-1)! > framesIn[0]!, `metrics refreshed: framesIn ${framesIn}`)

      // Retained: a collector that arrives now gets the latest refresh at once.
      const late = await MqttProbe.connect(broker.url)
      try {
        await late.subscribe(topic)
        const retained = await late.waitFor(topic)
        assert.equal(retained.retain, true)
        const metrics = (JSON.parse(retained.payload.toString()) as (typeof states)[0]).metrics
        assert.ok(metrics.framesIn >= framesIn.at(-1)!)
      } finally {
        await late.close()
      }
    } finally {
      await uplink.stop()
      await ports.closeAll()
      await probe.close()
    }
  })
})
