import { z } from 'zod'
import { MQTT_TOPIC_PATTERN, MQTT_TOPIC_RULE } from '../mqtt-topic'
import { filePath, MiB } from './settings-fields'

/** The `mqtt` section (the uplink to a broker) and each port's own `mqtt` setting. */

const MQTT_PROTOCOLS = ['mqtt:', 'mqtts:', 'ws:', 'wss:']

/** The uplink to a lab's MQTT broker (docs/mqtt.md). Off by default. */
export const mqttSettingsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  url: z
    .string()
    .refine((u) => {
      try {
        return MQTT_PROTOCOLS.includes(new URL(u).protocol)
      } catch {
        return false
      }
    }, 'url is mqtt://, mqtts://, ws:// or wss:// and a host, e.g. "mqtt://broker.lab:1883"')
    .default('mqtt://localhost:1883'),
  username: z.string().min(1).max(1024).nullable().default(null),
  /** Kept like `server.token`: never logged, left out of exports unless asked for. */
  password: z.string().max(1024).nullable().default(null),
  /** null: `serial-bridge-<hostname>`, the same on every start. */
  clientId: z.string().min(1).max(128).nullable().default(null),
  /** null: `serial-bridge/<hostname>`. */
  topicPrefix: z
    .string()
    .max(200)
    .regex(MQTT_TOPIC_PATTERN, MQTT_TOPIC_RULE)
    .nullable()
    .default(null),
  qos: z.union([z.literal(0), z.literal(1)]).default(0),
  protocolVersion: z.union([z.literal(5), z.literal(4)]).default(5),
  /** PEM files for mqtts:// and wss://: the broker's CA, and a client certificate if it asks. */
  tls: z
    .strictObject({
      ca: filePath.nullable().default(null),
      cert: filePath.nullable().default(null),
      key: filePath.nullable().default(null),
      rejectUnauthorized: z.boolean().default(true),
    })
    .default(() => ({ ca: null, cert: null, key: null, rejectUnauthorized: true })),
  publish: z
    .strictObject({ frames: z.boolean().default(true), values: z.boolean().default(true) })
    .default(() => ({ frames: true, values: true })),
  /** Subscribes to `ports/{id}/write` and `ports/{id}/query`: anyone on the broker may write. */
  commands: z.boolean().default(false),
  /** Commands even when the broker connection has no user name and no client certificate. */
  commandsWithoutAuthentication: z.boolean().default(false),
  /** What waits while the broker is unreachable; beyond either bound the oldest is dropped. */
  queue: z
    .strictObject({
      maxMessages: z.number().int().min(1).max(1_000_000).default(10_000),
      maxBytes: z
        .number()
        .int()
        .min(64 * 1024)
        .max(1024 * MiB)
        .default(16 * MiB),
    })
    .default(() => ({ maxMessages: 10_000, maxBytes: 16 * MiB })),
})

/** A port's own `mqtt` setting: whether and where it is published. */
export const portMqttSchema = z.strictObject({
  publish: z.boolean().default(true),
  /** Replaces `{topicPrefix}/ports/{id}` as this port's topic base. */
  topic: z.string().max(200).regex(MQTT_TOPIC_PATTERN, MQTT_TOPIC_RULE).optional(),
})

export type MqttSettings = z.output<typeof mqttSettingsSchema>
export type MqttSettingsInput = z.input<typeof mqttSettingsSchema>
