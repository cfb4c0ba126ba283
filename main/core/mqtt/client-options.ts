import { readFile } from 'node:fs/promises'
import type { IClientOptions } from 'mqtt'
import { defaultClientId } from '../../../common/mqtt-topic'
import type { MqttSettings } from '../../../common/settings-schema'
import type { Result } from '../../../common/validation'
import { TopicTree } from './topic-tree'

export const ONLINE = Buffer.from('{"state":"online"}')
export const OFFLINE = Buffer.from('{"state":"offline"}')

/** How long one attempt waits for CONNACK before it counts as "broker not reachable". */
const CONNECT_TIMEOUT_MS = 10_000
/** MQTT 5 tells the broker not to send larger packets (commands are small; this bounds memory). */
const MAX_INCOMING_PACKET = 2 * 1024 * 1024

export type ReadFile = (path: string) => Promise<Buffer>

/**
 * The settings as MQTT.js options. The engine reconnects itself (with backoff), so MQTT.js
 * never does; it never queues either: the bounded queue in outgoing-queue.ts is the only one.
 */
export async function clientOptions(
  settings: MqttSettings,
  hostname: string,
  read: ReadFile = readFile,
): Promise<Result<IClientOptions>> {
  const files: Partial<Record<'ca' | 'cert' | 'key', Buffer>> = {}
  const errors: string[] = []
  for (const key of ['ca', 'cert', 'key'] as const) {
    const path = settings.tls[key]
    if (!path) continue
    try {
      files[key] = await read(path)
    } catch (error) {
      errors.push(`mqtt.tls.${key}: cannot read ${path} (${(error as Error).message})`)
    }
  }
  if (errors.length > 0) return { ok: false, errors }
  const tree = new TopicTree(settings, hostname)
  return {
    ok: true,
    value: {
      clientId: settings.clientId ?? defaultClientId(hostname),
      username: settings.username ?? undefined,
      password: settings.password ?? undefined,
      protocolVersion: settings.protocolVersion,
      clean: true,
      keepalive: 30,
      reconnectPeriod: 0,
      connectTimeout: CONNECT_TIMEOUT_MS,
      queueQoSZero: false,
      resubscribe: false,
      rejectUnauthorized: settings.tls.rejectUnauthorized,
      ...files,
      will: { topic: tree.status, payload: OFFLINE, qos: 1, retain: true },
      ...(settings.protocolVersion === 5
        ? { properties: { maximumPacketSize: MAX_INCOMING_PACKET } }
        : {}),
    },
  }
}

/** A broker connection counts as authenticated with a user name or a client certificate. */
export function isAuthenticated(settings: MqttSettings): boolean {
  return settings.username !== null || settings.tls.cert !== null
}
