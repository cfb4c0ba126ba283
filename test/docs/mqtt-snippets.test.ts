import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { portTopics } from '../../common/mqtt-topic'
import { SIM_IDN } from '../../main/core/serial/sim-device'
import { mqttSnippets } from '../../renderer/src/connect/mqtt-snippets'
import { startEngine } from '../helpers/engine-fixture'
import { BROKER_PASSWORD, BROKER_USER, Mosquitto } from '../helpers/mosquitto'
import { SnippetProcess } from '../helpers/snippet-run'
import { waitFor } from '../helpers/wait'

const PYTHON = '/usr/bin/python3'
const PREFIX = 'serial-bridge/lab-pc-07'
const LINE = /^T=\d+\.\d\d,RH=\d+\.\d$/
const VALUES = /^\S+Z \{'T': [\d.]+, 'RH': [\d.]+\}$/

/**
 * The Connect panel's paho-mqtt snippet, as a user pastes it (with their broker account in
 * place of USER and PASSWORD), against a real Mosquitto that a real engine's uplink publishes
 * the simulated port to: it prints the port's lines and its values.
 */
describe('the Connect panel’s MQTT snippet (paho-mqtt)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-mqtt-snippet-'))
  let broker: Mosquitto
  let bridge: Awaited<ReturnType<typeof startEngine>>
  before(async () => {
    broker = await Mosquitto.start()
    bridge = await startEngine({
      ports: [{ id: 'meter', path: 'sim:demo', parse: { mode: 'keyValue' } }],
      mqtt: {
        enabled: true,
        url: broker.url,
        username: BROKER_USER,
        password: BROKER_PASSWORD,
        clientId: 'bridge-snippet',
        topicPrefix: PREFIX,
      },
    })
    await waitFor(() => bridge.engine.getMqttStatus().state === 'connected', {
      what: 'the uplink connected',
      timeoutMs: 15_000,
    })
  })
  after(async () => {
    await bridge?.stop()
    await broker?.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  test('prints each line of the port and each reading’s time and values', async () => {
    const port = bridge.engine.listPorts()[0]!
    const snippet = mqttSnippets(broker.url, port.id, portTopics(PREFIX, port.settings)).find(
      (s) => s.id === 'mqtt-python',
    )!
    assert.match(snippet.code, /username_pw_set\("USER", "PASSWORD"\)/)
    const script = join(dir, 'collector.py')
    writeFileSync(
      script,
      snippet.code.replace('"USER", "PASSWORD"', `"${BROKER_USER}", "${BROKER_PASSWORD}"`),
    )
    const collector = SnippetProcess.start(PYTHON, ['-u', script])
    try {
      await collector.until(
        (lines) =>
          lines.filter((l) => LINE.test(l)).length >= 3 && lines.some((l) => VALUES.test(l)),
        'lines and values',
      )
      // A frame that does not parse is a line too: the reply to *IDN? (asked as the UI asks).
      const reply = await bridge.engine.queryPort('meter', Buffer.from('*IDN?\n'), {
        timeoutMs: 2000,
      })
      assert.ok(reply.ok, !reply.ok ? reply.errors.join() : '')
      await collector.until((lines) => lines.includes(SIM_IDN), 'the *IDN? reply as a line')
      assert.deepEqual(
        collector.lines.filter((l) => !LINE.test(l) && !VALUES.test(l)),
        [SIM_IDN],
        'every other line is a frame or a reading',
      )
    } finally {
      collector.kill()
    }
  })
})
