import type { SettingsInput } from '../common/settings-schema'
import { BROKER_PASSWORD, BROKER_USER, Mosquitto } from '../test/helpers/mosquitto'
import type { MqttSubscriberApi } from './child-api'
import { forkChild, type ChildHandle } from './child-rpc'
import { cleanupMark, cleanupTo, onCleanup } from './cleanup-stack'

/** A real Mosquitto for one scenario (the tests' own, with a password file), stopped with it. */
async function startBroker(): Promise<Mosquitto> {
  const broker = await Mosquitto.start()
  onCleanup('mosquitto', () => broker.dispose())
  return broker
}

export const BENCH_PREFIX = 'bench'

/** The bridge's uplink to that broker, publishing every frame at QoS 0. */
export function uplinkSettings(broker: Mosquitto): Pick<SettingsInput, 'mqtt'> {
  return {
    mqtt: {
      enabled: true,
      url: broker.url,
      username: BROKER_USER,
      password: BROKER_PASSWORD,
      clientId: `bench-bridge-${process.pid}`,
      topicPrefix: BENCH_PREFIX,
      qos: 0,
    },
  }
}

/** A collector process subscribed to `topic`. */
export async function startSubscriber(
  broker: Mosquitto,
  topic: string,
  epoch: string,
): Promise<ChildHandle<MqttSubscriberApi>> {
  const subscriber = await forkChild<MqttSubscriberApi>('./mqtt-subscriber.ts', [epoch])
  onCleanup('mqtt subscriber', () => subscriber.stop())
  await subscriber.call('connect', {
    url: broker.url,
    topic,
    username: BROKER_USER,
    password: BROKER_PASSWORD,
  })
  return subscriber
}

/** Runs a scenario with its own broker, stopped (with all it started) when it ends. */
export async function withBroker<T>(run: (broker: Mosquitto) => Promise<T>): Promise<T> {
  const mark = cleanupMark()
  try {
    return await run(await startBroker())
  } finally {
    await cleanupTo(mark)
  }
}
