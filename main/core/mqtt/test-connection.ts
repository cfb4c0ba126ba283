import { connect } from 'mqtt'
import type { MqttTestResult } from '../../../common/engine-api'
import {
  mqttSettingsSchema,
  type MqttSettings,
  type MqttSettingsInput,
} from '../../../common/settings-schema'
import { formatIssues } from '../../../common/validation'
import { clientOptions } from './client-options'
import { describeMqttError } from './error-words'
import { TopicTree } from './topic-tree'

const TEST_TIMEOUT_MS = 10_000

/**
 * The Settings page's Test button: connects with the settings as typed (over the saved ones),
 * publishes one message to `{prefix}/test`, waits for the broker's acknowledgement, and says
 * what happened in words. Its own client id, so the running uplink is not pushed off.
 */
export async function testMqttConnection(
  saved: MqttSettings,
  input: Partial<MqttSettingsInput>,
  hostname: string,
): Promise<MqttTestResult> {
  const parsed = mqttSettingsSchema.safeParse({ ...saved, ...input })
  if (!parsed.success) {
    return { ok: false, message: formatIssues(parsed.error, ['mqtt']).join('; ') }
  }
  const settings = parsed.data
  const options = await clientOptions(settings, hostname)
  if (!options.ok) return { ok: false, message: options.errors.join('; ') }
  const topic = new TopicTree(settings, hostname).test
  const { will: _will, ...rest } = options.value
  const client = connect(settings.url, {
    ...rest,
    clientId: `${rest.clientId}-test-${Date.now().toString(36)}`,
    connectTimeout: TEST_TIMEOUT_MS,
  })
  try {
    return await new Promise<MqttTestResult>((resolve) => {
      const timer = setTimeout(
        () => resolve({ ok: false, message: `no answer from ${settings.url} within 10 s` }),
        TEST_TIMEOUT_MS,
      )
      const done = (result: MqttTestResult): void => {
        clearTimeout(timer)
        resolve(result)
      }
      client.on('error', (error) => done({ ok: false, message: describeMqttError(error) }))
      client.on('close', () =>
        done({ ok: false, message: `the broker at ${settings.url} closed the connection` }),
      )
      client.on('connect', () => {
        const payload = JSON.stringify({ test: true, at: new Date().toISOString() })
        client.publish(topic, payload, { qos: 1 }, (error) =>
          done(
            error
              ? { ok: false, message: `connected, but publishing failed: ${error.message}` }
              : {
                  ok: true,
                  message: `Connected to ${settings.url}${settings.username ? ` as ${settings.username}` : ''} and published one message to ${topic}`,
                },
          ),
        )
      })
    })
  } finally {
    client.end(true)
  }
}
