import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, describe, test } from 'node:test'
import { portTopics } from '../../common/mqtt-topic'
import { mqttSettingsSchema, portSettingsSchema } from '../../common/settings-schema'
import type { ParseSettings } from '../../common/values/parse-settings'
import { SIM_IDN } from '../../main/core/serial/sim-device'
import { startEngine } from '../helpers/engine-fixture'
import { BROKER_PASSWORD, BROKER_USER, Mosquitto } from '../helpers/mosquitto'
import { waitFor } from '../helpers/wait'

/**
 * docs/mqtt.md: its paho-mqtt examples run against a real Mosquitto and a real engine, and its
 * tables name every setting and topic the code has.
 */
const ROOT = join(import.meta.dirname, '..', '..')
const DOC = readFileSync(join(ROOT, 'docs', 'mqtt.md'), 'utf8')
const PYTHON = '/usr/bin/python3'
const PREFIX = 'serial-bridge/lab-pc-07'

/** The `parse` setting docs/mqtt.md gives for `values` (its settings example, validated). */
function documentedParse(): ParseSettings {
  const json = /```json\n(\{\n {2}"ports"[\s\S]*?)```/.exec(DOC)
  assert.ok(json, 'docs/mqtt.md has a settings example with ports')
  const example = JSON.parse(json[1]!) as { ports: unknown[] }
  return portSettingsSchema.parse(example.ports[0]).parse
}

function python(script: string, args: string[]) {
  const child = spawn(PYTHON, [join(ROOT, 'docs', 'examples', script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let stderr = ''
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l))
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { child, lines, exited, stderr: () => stderr }
}

describe('docs/mqtt.md', () => {
  let broker: Mosquitto
  let bridge: Awaited<ReturnType<typeof startEngine>>
  let brokerArgs: string[]
  before(async () => {
    broker = await Mosquitto.start()
    brokerArgs = ['127.0.0.1', String(broker.port), PREFIX]
    bridge = await startEngine({
      ports: [{ id: 'meter', path: 'sim:demo', parse: documentedParse() }],
      mqtt: {
        enabled: true,
        url: broker.url,
        username: BROKER_USER,
        password: BROKER_PASSWORD,
        clientId: 'bridge-docs',
        topicPrefix: PREFIX,
        commands: true,
      },
    })
    await waitFor(() => bridge.engine.getMqttStatus().commands, {
      what: 'the uplink connected with commands',
      timeoutMs: 15_000,
    })
  })
  after(async () => {
    await bridge?.stop()
    await broker?.dispose()
  })

  test('mqtt-collector.py prints the status, the port state, lines and values', async () => {
    const run = python('mqtt-collector.py', [...brokerArgs, BROKER_USER, BROKER_PASSWORD])
    try {
      await waitFor(
        () =>
          run.lines.includes('status online') &&
          run.lines.includes('ports/meter/status open') &&
          run.lines.some((l) => /^ports\/meter\/rx T=\d+\.\d\d,RH=\d+\.\d$/.test(l)) &&
          run.lines.some((l) =>
            /^ports\/meter\/values \S+Z \{'T': [\d.]+, 'RH': [\d.]+\} \{'T': '°C', 'RH': '%'\}$/.test(
              l,
            ),
          ),
        {
          what: `the collector's lines; got ${JSON.stringify(run.lines.slice(0, 6))} ${run.stderr()}`,
          timeoutMs: 20_000,
        },
      )
    } finally {
      run.child.kill()
      await run.exited
    }
  })

  test('mqtt-query.py asks through the broker and prints the answer', async () => {
    const run = python('mqtt-query.py', [
      ...brokerArgs,
      'meter',
      '*IDN?',
      BROKER_USER,
      BROKER_PASSWORD,
    ])
    const code = await Promise.race([
      run.exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer: ${run.stderr()}`)), 20_000).unref(),
      ),
    ])
    assert.equal(code, 0, run.stderr())
    assert.deepEqual(run.lines, [SIM_IDN])
  })

  test('the tables name every setting and every topic', () => {
    for (const key of Object.keys(mqttSettingsSchema.shape)) {
      assert.match(DOC, new RegExp(`^\\| [^|]*\`${key}\``, 'm'), `settings table lists ${key}`)
    }
    for (const topic of Object.values(portTopics('', { id: '{id}' }))) {
      const row = new RegExp(`^\\| \`${topic.slice(1).replace(/[{}]/g, '\\$&')}\` +\\|`, 'm')
      assert.match(DOC, row, `topic table lists ${topic.slice(1)}`)
    }
    assert.match(DOC, /^\| `status` +\| yes +\|/m)
  })
})
