import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { defaultClientId, defaultTopicPrefix, hostLevel } from '../../../common/mqtt-topic'
import { validateSettings } from '../../../common/validation'
import { clientOptions } from '../../../main/core/mqtt/client-options'
import { describeMqttError } from '../../../main/core/mqtt/error-words'
import { TopicTree } from '../../../main/core/mqtt/topic-tree'

describe('MQTT topics, options and words', () => {
  test('client id and topic prefix come from the host name, the same on every start', () => {
    assert.equal(hostLevel('LAB-PC 07.Example.org'), 'lab-pc-07.example.org')
    assert.equal(defaultTopicPrefix('LAB-PC-07'), 'serial-bridge/lab-pc-07')
    assert.equal(defaultClientId('LAB-PC-07'), 'serial-bridge-lab-pc-07')
    const tree = new TopicTree({ topicPrefix: null }, 'LAB-PC-07')
    assert.equal(tree.status, 'serial-bridge/lab-pc-07/status')
    assert.deepEqual(tree.port({ id: 'meter' }), {
      rx: 'serial-bridge/lab-pc-07/ports/meter/rx',
      values: 'serial-bridge/lab-pc-07/ports/meter/values',
      status: 'serial-bridge/lab-pc-07/ports/meter/status',
      write: 'serial-bridge/lab-pc-07/ports/meter/write',
      query: 'serial-bridge/lab-pc-07/ports/meter/query',
    })
    assert.equal(tree.port({ id: 'x', mqtt: { publish: true, topic: 'b2/oven' } }).rx, 'b2/oven/rx')
  })

  test('settings: the section has its defaults; wrong values name the field', () => {
    const s = validateSettings({})
    assert.ok(s.ok)
    assert.deepEqual(s.value.mqtt, {
      enabled: false,
      url: 'mqtt://localhost:1883',
      username: null,
      password: null,
      clientId: null,
      topicPrefix: null,
      qos: 0,
      protocolVersion: 5,
      tls: { ca: null, cert: null, key: null, rejectUnauthorized: true },
      publish: { frames: true, values: true },
      commands: false,
      commandsWithoutAuthentication: false,
      queue: { maxMessages: 10_000, maxBytes: 16 * 1024 * 1024 },
    })
    const bad = validateSettings({
      mqtt: { url: 'http://broker', qos: 2, topicPrefix: 'a/#' },
      ports: [{ path: 'COM1', mqtt: { topic: '/lead' } }],
    })
    assert.ok(!bad.ok)
    const text = bad.errors.join('\n')
    for (const field of ['mqtt.url', 'mqtt.qos', 'mqtt.topicPrefix', 'ports[0].mqtt.topic']) {
      assert.ok(text.includes(field), `${field} in ${text}`)
    }
  })

  test('client options: a last will of offline, no queueing or reconnecting inside MQTT.js', async () => {
    const s = validateSettings({ mqtt: { enabled: true, username: 'u', password: 'p' } })
    assert.ok(s.ok)
    const options = await clientOptions(s.value.mqtt, 'pc1')
    assert.ok(options.ok)
    assert.equal(options.value.clientId, 'serial-bridge-pc1')
    assert.equal(options.value.reconnectPeriod, 0)
    assert.equal(options.value.queueQoSZero, false)
    assert.deepEqual(options.value.will, {
      topic: 'serial-bridge/pc1/status',
      payload: Buffer.from('{"state":"offline"}'),
      qos: 1,
      retain: true,
    })
    const missing = await clientOptions(
      { ...s.value.mqtt, tls: { ...s.value.mqtt.tls, ca: '/nope/ca.pem' } },
      'pc1',
    )
    assert.ok(!missing.ok)
    assert.match(missing.errors[0]!, /^mqtt\.tls\.ca: cannot read \/nope\/ca\.pem/)
  })

  test('errors in words', () => {
    assert.match(
      describeMqttError(Object.assign(new Error('x'), { code: 134 })),
      /^wrong user name or password/,
    )
    assert.match(
      describeMqttError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })),
      /^broker not reachable/,
    )
    assert.match(
      describeMqttError(
        Object.assign(new Error('self-signed certificate'), {
          code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        }),
      ),
      /^certificate not trusted \(self-signed certificate; set mqtt\.tls\.ca/,
    )
    assert.match(describeMqttError(new Error('connack timeout')), /^broker not reachable/)
  })
})
