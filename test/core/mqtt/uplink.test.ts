import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { MqttStatus } from '../../../common/engine-api'
import type { MqttSettingsInput, PortSettingsInput } from '../../../common/settings-schema'
import { startEngine } from '../../helpers/engine-fixture'
import { Instrument } from '../../helpers/instrument'
import { BROKER_PASSWORD, BROKER_USER, Mosquitto } from '../../helpers/mosquitto'
import { MqttProbe } from '../../helpers/mqtt-probe'
import { SocatPair } from '../../helpers/socat-pair'
import { nextEvent, waitFor } from '../../helpers/wait'

/**
 * The MQTT uplink against a real Mosquitto (password, TLS and anonymous listeners) and a real
 * pty, with the test as the instrument and as the lab's other MQTT clients.
 */

/** Issue 8's parsing, as a user sets it: `V=1.5` becomes `{"V": 1.5}` in volts. */
const PARSE_VOLTS = { mode: 'keyValue', units: { V: 'V' } } as const

describe('MQTT uplink against a real Mosquitto', () => {
  let broker: Mosquitto
  const cleanups: Array<() => Promise<unknown>> = []
  before(async () => {
    broker = await Mosquitto.start()
  })
  after(async () => {
    for (const c of cleanups.reverse()) await c()
    await broker?.dispose()
  })

  async function rig(name: string, mqtt: MqttSettingsInput, port: Partial<PortSettingsInput> = {}) {
    const pty = new SocatPair(name)
    await pty.plug()
    const bridge = await startEngine({
      ports: [{ id: 'meter', path: pty.a, parse: PARSE_VOLTS, ...port }],
      mqtt: {
        enabled: true,
        url: broker.url,
        username: BROKER_USER,
        password: BROKER_PASSWORD,
        // One bridge per host in a lab; here several at once, each needs its own.
        clientId: `bridge-${name}`,
        ...mqtt,
      },
    })
    const instrument = await Instrument.open(pty.b)
    const stop = async () => {
      await instrument.close()
      await bridge.stop()
      await pty.dispose()
    }
    cleanups.push(stop)
    await waitFor(() => bridge.engine.listPorts()[0]?.state === 'open', { what: 'port open' })
    return { pty, bridge, instrument, engine: bridge.engine }
  }

  const connected = (engine: { getMqttStatus(): MqttStatus }) =>
    waitFor(() => engine.getMqttStatus().state === 'connected', {
      what: 'the uplink connected',
      timeoutMs: 15_000,
    })

  async function probe(url = broker.url, options = {}) {
    const p = await MqttProbe.connect(url, options)
    cleanups.push(() => p.close())
    return p
  }

  test('frames and values arrive on the documented topics, in order; status is retained', async () => {
    const { engine, instrument } = await rig('order', { topicPrefix: 'lab/order' })
    const collector = await probe()
    await collector.subscribe(['lab/order/ports/meter/rx', 'lab/order/ports/meter/values'])
    await connected(engine)
    const lines = Array.from({ length: 200 }, (_, i) => `V=${(i / 10).toFixed(1)}`)
    for (let i = 0; i < lines.length; i += 20) {
      await instrument.write(lines.slice(i, i + 20).join('\n') + '\n')
    }
    await waitFor(() => collector.on('lab/order/ports/meter/values').length === lines.length, {
      what: 'every value',
      timeoutMs: 15_000,
    })
    assert.deepEqual(collector.texts('lab/order/ports/meter/rx'), lines)
    const values = collector
      .texts('lab/order/ports/meter/values')
      .map((t) => JSON.parse(t) as { ts: string; values: { V: number }; units: { V: string } })
    assert.deepEqual(
      values.map((v) => v.values.V),
      lines.map((l) => Number(l.slice(2))),
    )
    assert.deepEqual(values[0]!.units, { V: 'V' })
    assert.match(values[0]!.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    assert.ok(collector.on('lab/order/ports/meter/rx').every((s) => !s.retain))

    // A client arriving later gets the retained states at once.
    const late = await probe()
    await late.subscribe(['lab/order/status', 'lab/order/ports/meter/status'])
    const online = await late.waitFor('lab/order/status')
    assert.equal(online.retain, true)
    assert.deepEqual(JSON.parse(online.payload.toString()), { state: 'online' })
    const portStatus = await late.waitFor('lab/order/ports/meter/status')
    assert.equal(portStatus.retain, true)
    const parsed = JSON.parse(portStatus.payload.toString()) as { state: string; metrics: object }
    assert.equal(parsed.state, 'open')
    assert.ok('framesIn' in parsed.metrics)
    const status = engine.getMqttStatus()
    assert.equal(status.topicPrefix, 'lab/order')
    assert.ok(status.published >= lines.length * 2, `published ${status.published}`)
    assert.equal(status.dropped, 0)
  })

  test('commands are off by default: nothing written from the broker reaches the port', async () => {
    const { engine, instrument } = await rig('off', { topicPrefix: 'lab/off' })
    await connected(engine)
    assert.equal(engine.getMqttStatus().commands, false)
    const sender = await probe()
    await sender.client.publishAsync('lab/off/ports/meter/write', 'NOT-FROM-MQTT', { qos: 1 })
    // Turned on, the same write arrives: the check above is not blind.
    await engine.updateMqttSettings({ commands: true })
    await waitFor(() => engine.getMqttStatus().commands, { what: 'commands subscribed' })
    await sender.client.publishAsync('lab/off/ports/meter/write', 'FROM-MQTT', { qos: 1 })
    await instrument.waitForLine('FROM-MQTT')
    assert.deepEqual(instrument.lines, ['FROM-MQTT'])
    assert.equal(engine.getMqttStatus().commandsHandled, 1)
  })

  test('write and MQTT 5 query reach the instrument; each reply reaches its asker only', async () => {
    const { engine, instrument } = await rig('cmd', { topicPrefix: 'lab/cmd', commands: true })
    await connected(engine)
    await waitFor(() => engine.getMqttStatus().commands, { what: 'commands subscribed' })
    // The instrument answers queries ("Q-…") with "ANS:" and the query; nothing else.
    instrument.port.on('data', () => {
      for (const line of instrument.lines.splice(0)) {
        if (line.startsWith('Q-')) void instrument.write(`ANS:${line}\n`)
      }
    })
    const a = await probe()
    const b = await probe()
    await a.subscribe('replies/a')
    await b.subscribe('replies/b')
    const ask = (who: MqttProbe, topic: string, data: string, id: string, timeoutMs?: number) =>
      who.client.publishAsync(`lab/cmd/ports/meter/${topic}`, data, {
        qos: 1,
        properties: {
          responseTopic: `replies/${who === a ? 'a' : 'b'}`,
          correlationData: Buffer.from(id),
          ...(timeoutMs ? { userProperties: { timeoutMs: String(timeoutMs) } } : {}),
        },
      })
    await Promise.all([ask(a, 'query', 'Q-A', 'a1'), ask(b, 'query', 'Q-B', 'b1')])
    const replyA = await a.waitFor('replies/a')
    const replyB = await b.waitFor('replies/b')
    assert.deepEqual(JSON.parse(replyA.payload.toString()), {
      type: 'reply',
      port: 'meter',
      data: 'ANS:Q-A',
      encoding: 'utf8',
    })
    assert.equal(replyA.packet.properties?.correlationData?.toString(), 'a1')
    assert.equal(JSON.parse(replyB.payload.toString()).data, 'ANS:Q-B')
    assert.equal(replyB.packet.properties?.correlationData?.toString(), 'b1')

    await ask(a, 'write', 'W-A', 'a2')
    const ack = await a.waitFor('replies/a', (s) => s.payload.includes('"ack"'))
    assert.deepEqual(JSON.parse(ack.payload.toString()), { type: 'ack', bytes: 4 })
    assert.equal(ack.packet.properties?.correlationData?.toString(), 'a2')

    await ask(a, 'query', 'IGNORE', 'a3', 300)
    const timeout = await a.waitFor('replies/a', (s) => s.payload.includes('TIMEOUT'))
    assert.deepEqual(JSON.parse(timeout.payload.toString()), {
      type: 'error',
      code: 'TIMEOUT',
      message: 'no reply within 300 ms',
    })
    assert.equal(timeout.packet.properties?.correlationData?.toString(), 'a3')
    assert.equal(a.on('replies/a').length, 3, 'a heard only its own answers')
    assert.equal(b.on('replies/b').length, 1, 'b heard only its own answer')
    assert.equal(engine.getMqttStatus().commandsHandled, 4)
  })

  test('commands over a connection without authentication only when explicitly allowed', async () => {
    const { engine, instrument } = await rig('anon', {
      url: broker.anonymousUrl,
      username: null,
      password: null,
      topicPrefix: 'lab/anon',
      commands: true,
    })
    await connected(engine)
    const status = engine.getMqttStatus()
    assert.equal(status.commands, false)
    assert.match(status.commandsRefused ?? '', /no user name and no client certificate/)
    const sender = await probe(broker.anonymousUrl, { username: undefined, password: undefined })
    await sender.client.publishAsync('lab/anon/ports/meter/write', 'ANON-1', { qos: 1 })
    await engine.updateMqttSettings({ commandsWithoutAuthentication: true })
    await waitFor(() => engine.getMqttStatus().commands, { what: 'commands allowed' })
    await sender.client.publishAsync('lab/anon/ports/meter/write', 'ANON-2', { qos: 1 })
    await instrument.waitForLine('ANON-2')
    assert.deepEqual(instrument.lines, ['ANON-2'])
  })

  test('failures are said in words: wrong password, untrusted certificate, no broker', async () => {
    const { engine } = await rig('words', { password: 'wrong-password' })
    const error = (pattern: RegExp) =>
      waitFor(() => pattern.test(engine.getMqttStatus().error ?? '') && engine.getMqttStatus(), {
        what: `an error matching ${pattern}; status ${JSON.stringify(engine.getMqttStatus())}`,
        timeoutMs: 15_000,
      })
    assert.equal((await error(/^wrong user name or password/)).state, 'error')

    await engine.updateMqttSettings({ password: BROKER_PASSWORD, url: broker.tlsUrl })
    await error(/^certificate not trusted/)

    await engine.updateMqttSettings({ tls: { ca: broker.certFile } })
    await connected(engine)

    await engine.updateMqttSettings({ url: 'mqtt://127.0.0.1:1', tls: { ca: null } })
    await error(/^broker not reachable/)

    assert.deepEqual(await engine.testMqtt({ url: broker.url, password: 'nope' }), {
      ok: false,
      message: 'wrong user name or password (Connection refused: Not authorized)',
    })
    const good = await engine.testMqtt({ url: broker.url })
    assert.ok(good.ok, good.message)
    assert.match(
      good.message,
      /^Connected to mqtt:\/\/127\.0\.0\.1:\d+ as bridge and published one message to serial-bridge\/.+\/test$/,
    )
  })

  test('a port’s mqtt settings change without closing the serial port', async () => {
    const { engine, instrument } = await rig('topic', { topicPrefix: 'lab/topic' })
    await connected(engine)
    const collector = await probe()
    await collector.subscribe(['lab/topic/ports/meter/rx', 'elsewhere/oven/rx'])
    const before = engine.listPorts()[0]!
    const states: string[] = []
    const off = engine.on('port', ({ port }) => states.push(port.state))
    const changed = await engine.updatePort('meter', {
      ...before.settings,
      mqtt: { publish: true, topic: 'elsewhere/oven' },
    })
    off()
    assert.ok(changed.ok, !changed.ok ? changed.errors.join() : '')
    assert.deepEqual(states, ['open'], 'no closed or opening state in between')
    assert.equal(engine.listPorts()[0]!.metrics.openSince, before.metrics.openSince)
    await instrument.write('MOVED\n')
    await collector.waitFor('elsewhere/oven/rx')
    assert.deepEqual(collector.texts('elsewhere/oven/rx'), ['MOVED'])
    assert.deepEqual(collector.texts('lab/topic/ports/meter/rx'), [])
  })

  test('the hosts hear of state changes as an engine event', async () => {
    const { engine } = await rig('event', { enabled: false })
    const event = nextEvent<MqttStatus>(
      (l) => engine.on('mqtt', l),
      (s) => s.state === 'connected',
      { timeoutMs: 15_000, what: 'an mqtt event saying connected' },
    )
    await engine.updateMqttSettings({ enabled: true, topicPrefix: 'lab/event' })
    assert.equal((await event).url, broker.url)
    await engine.updateMqttSettings({ enabled: false })
    await waitFor(() => engine.getMqttStatus().state === 'off', { what: 'the uplink off' })
  })
  test('commands obey the client rules for the name "mqtt": read-only answers FORBIDDEN, a block refuses and counts', async () => {
    const { engine, instrument } = await rig('rules', { topicPrefix: 'lab/rules', commands: true })
    await connected(engine)
    await waitFor(() => engine.getMqttStatus().commands, { what: 'commands subscribed' })
    const asker = await probe()
    await asker.subscribe('replies/rules')
    let n = 0
    const ask = async (topic: 'write' | 'query', data: string) => {
      const id = `r${++n}`
      await asker.client.publishAsync(`lab/rules/ports/meter/${topic}`, data, {
        qos: 1,
        properties: { responseTopic: 'replies/rules', correlationData: Buffer.from(id) },
      })
      const seen = await asker.waitFor(
        'replies/rules',
        (s) => s.packet.properties?.correlationData?.toString() === id,
      )
      return JSON.parse(seen.payload.toString()) as {
        type: string
        code?: string
        message?: string
      }
    }
    const rules = (action: 'readOnly' | 'block') =>
      engine.updateServerSettings({
        clientRules: [{ match: { name: 'MQTT' }, action, until: null }],
      })

    assert.ok((await rules('readOnly')).ok)
    assert.deepEqual(await ask('write', 'RO-WRITE'), {
      type: 'error',
      code: 'FORBIDDEN',
      message: 'the MQTT uplink is read-only (a read-only rule for the client name "mqtt")',
    })
    assert.equal((await ask('query', 'RO-QUERY')).code, 'FORBIDDEN')

    assert.ok((await rules('block')).ok)
    assert.deepEqual(await ask('write', 'BLOCKED'), {
      type: 'error',
      code: 'FORBIDDEN',
      message: 'Blocked by the operator (client name "MQTT"), until the operator allows it again',
    })
    assert.equal(engine.getMqttStatus().commandsForbidden, 3)

    // Without the rule the same write arrives: the refusals above are the rule's doing.
    assert.ok((await engine.updateServerSettings({ clientRules: [] })).ok)
    assert.deepEqual(await ask('write', 'ALLOWED'), { type: 'ack', bytes: 8 })
    await instrument.waitForLine('ALLOWED')
    assert.deepEqual(instrument.lines, ['ALLOWED'], 'nothing refused reached the instrument')
    const status = engine.getMqttStatus()
    assert.equal(status.commandsForbidden, 3)
    assert.equal(status.commandsHandled, 4)
  })

  test('MQTT over WebSocket (ws://): frames and values arrive as over mqtt://', async () => {
    const { engine, instrument } = await rig('ws', { url: broker.wsUrl, topicPrefix: 'lab/ws' })
    await connected(engine)
    const collector = await probe(broker.wsUrl)
    await collector.subscribe(['lab/ws/ports/meter/rx', 'lab/ws/ports/meter/values'])
    await instrument.write('V=1.5\nV=2.5\n')
    await waitFor(() => collector.on('lab/ws/ports/meter/values').length === 2, {
      what: 'both values over ws://',
      timeoutMs: 15_000,
    })
    assert.deepEqual(collector.texts('lab/ws/ports/meter/rx'), ['V=1.5', 'V=2.5'])
    assert.deepEqual(
      collector.texts('lab/ws/ports/meter/values').map((t) => JSON.parse(t).values),
      [{ V: 1.5 }, { V: 2.5 }],
    )
  })

  test('MQTT 3.1.1 (protocolVersion 4): frames flow; a query is written but has no response topic to answer on', async () => {
    const { engine, instrument } = await rig('v4', {
      protocolVersion: 4,
      topicPrefix: 'lab/v4',
      commands: true,
    })
    await connected(engine)
    await waitFor(() => engine.getMqttStatus().commands, { what: 'commands subscribed' })
    const v4 = await probe(broker.url, { protocolVersion: 4 })
    await v4.subscribe(['lab/v4/ports/meter/rx', 'lab/v4/#'])
    instrument.port.on('data', () => {
      for (const line of instrument.lines.splice(0)) {
        if (line.startsWith('Q-')) void instrument.write(`ANS:${line}\n`)
      }
    })
    await v4.client.publishAsync('lab/v4/ports/meter/query', 'Q-311', { qos: 1 })
    // The reply is the port's next frame, as for everyone: it is seen on …/rx only.
    await v4.waitFor('lab/v4/ports/meter/rx', (s) => s.payload.toString() === 'ANS:Q-311')
    await waitFor(() => engine.getMqttStatus().commandsHandled === 1, { what: 'the query run' })
    const answers = v4.seen.filter((s) => s.payload.toString().includes('"type"'))
    assert.deepEqual(answers, [], 'no answer was published anywhere')
  })
})
