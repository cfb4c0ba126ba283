import type { Unsubscribe } from '../../../common/engine-api'
import type { MqttSettings } from '../../../common/settings-schema'
import type { CapabilityFactory } from '../capability'
import { testMqttConnection } from './test-connection'
import { Uplink } from './uplink'

/** Counters reach the hosts at most this often; state changes at once. */
const COUNTERS_EVERY_MS = 1000

/**
 * The MQTT uplink (issue 12, docs/mqtt.md): each bridge a client of the lab's broker. It follows
 * the engine's bus and never holds it up: a frame is queued in O(1) and published later.
 */
export const mqttCapability: CapabilityFactory = (ctx) => {
  let applied = ''
  let applying: Promise<void> = Promise.resolve()
  let lastReported = ''
  const report = (): void => {
    const status = uplink.status()
    const text = JSON.stringify(status)
    if (text === lastReported) return
    lastReported = text
    ctx.emit('mqtt', status)
  }
  const uplink = new Uplink({
    ports: ctx.ports,
    hostname: ctx.hostname(),
    maxPayloadBytes: () => ctx.settings().server.maxPayloadBytes,
    clientRules: () => ctx.settings().server.clientRules,
    now: ctx.now,
    changed: report,
    log: ctx.log,
  })
  /** Settings are applied one after another, each only when the section really changed. */
  const apply = (settings: MqttSettings): Promise<void> => {
    const text = JSON.stringify(settings)
    if (text === applied) return applying
    applied = text
    applying = applying
      .then(() => uplink.apply(settings))
      .catch((error: Error) => {
        ctx.log(`mqtt: ${error.message}`)
      })
    return applying
  }

  let subscriptions: Unsubscribe[] = []
  let counters: NodeJS.Timeout | null = null
  return {
    name: 'mqtt',
    operations: {
      getMqttStatus: () => uplink.status(),
      testMqtt: (input) => testMqttConnection(ctx.settings().mqtt, input, ctx.hostname()),
    },
    async start() {
      // Subscribed here, not when made: a capability that sets frame values runs first.
      subscriptions = [
        ctx.bus.on('rx', (frame) => uplink.frame(frame)),
        ctx.bus.on('status', (info) => uplink.portStatus(info)),
        ctx.bus.on('removed', (info) => uplink.portRemoved(info)),
        ctx.bus.on('settings', (settings) => void apply(settings.mqtt)),
      ]
      counters = setInterval(report, COUNTERS_EVERY_MS)
      counters.unref()
      await apply(ctx.settings().mqtt)
    },
    async stop() {
      for (const off of subscriptions) off()
      if (counters) clearInterval(counters)
      subscriptions = []
      counters = null
      applied = ''
      await applying
      await uplink.stop()
    },
  }
}
