import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, describe, test } from 'node:test'
import { HeadlessProcess } from '../helpers/headless-process'
import { startEngine } from '../helpers/engine-fixture'
import { BROKER_PASSWORD, BROKER_USER, Mosquitto } from '../helpers/mosquitto'
import { MqttProbe } from '../helpers/mqtt-probe'
import { SocatPair } from '../helpers/socat-pair'
import { waitFor } from '../helpers/wait'

/**
 * The uplink when things go wrong: the bridge killed (the last will), the broker stopped and
 * started again mid-stream (reconnect, a bounded queue, drops counted, WebSocket clients
 * undisturbed), against a real Mosquitto.
 */
describe('MQTT uplink faults', () => {
  let broker: Mosquitto
  const cleanups: Array<() => Promise<unknown>> = []
  before(async () => {
    broker = await Mosquitto.start()
  })
  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined)
    await broker?.dispose()
  })
  const mqtt = (prefix: string) => ({
    enabled: true,
    url: broker.url,
    username: BROKER_USER,
    password: BROKER_PASSWORD,
    clientId: `bridge-${prefix.replace(/\W/g, '-')}`,
    topicPrefix: prefix,
  })
  async function probe(): Promise<MqttProbe> {
    const p = await MqttProbe.connect(broker.url)
    cleanups.push(() => p.close())
    return p
  }
  const retainedState = async (topic: string): Promise<string> => {
    const p = await probe()
    await p.subscribe(topic)
    const seen = await p.waitFor(topic)
    assert.equal(seen.retain, true)
    return (JSON.parse(seen.payload.toString()) as { state: string }).state
  }

  test('killed, the bridge is offline by its last will; stopped, it says so itself', async () => {
    const killed = HeadlessProcess.start({
      server: { port: 0 },
      ports: [{ id: 'demo', path: 'sim:demo' }],
      mqtt: mqtt('lab/kill'),
    })
    cleanups.push(() => killed.stop())
    await killed.url()
    const watcher = await probe()
    await watcher.subscribe('lab/kill/status')
    await watcher.waitFor('lab/kill/status', (s) => s.payload.includes('online'))
    await killed.stop('SIGKILL')
    await watcher.waitFor('lab/kill/status', (s) => s.payload.includes('offline'))
    assert.equal(await retainedState('lab/kill/status'), 'offline', 'a newcomer sees it retained')

    const stopped = HeadlessProcess.start({ server: { port: 0 }, mqtt: mqtt('lab/stop') })
    cleanups.push(() => stopped.stop())
    await stopped.url()
    // Seen live first: "connected" in the log can come before the broker has the retained
    // message, and a newcomer subscribing in between would get it live, not retained.
    const onlineWatcher = await probe()
    await onlineWatcher.subscribe('lab/stop/status')
    await onlineWatcher.waitFor('lab/stop/status', (s) => s.payload.includes('online'), 15_000)
    assert.equal(await retainedState('lab/stop/status'), 'online')
    assert.equal(await stopped.stop('SIGTERM'), 0)
    assert.equal(await retainedState('lab/stop/status'), 'offline')
    assert.doesNotMatch(stopped.stderr, new RegExp(BROKER_PASSWORD), 'the password is never logged')
  })

  test('broker stopped and restarted mid-stream: reconnects, the queue stays bounded, drops are counted, WebSocket clients see no gap', async () => {
    const pty = new SocatPair('outage')
    await pty.plug()
    cleanups.push(() => pty.dispose())
    const bridge = await startEngine({
      // The watcher's lines are `L12 1796174180123`: line number and when it was written.
      ports: [{ id: 'meter', path: pty.a, parse: { mode: 'regex', pattern: '^L(?<n>\\d+) ' } }],
      mqtt: { ...mqtt('lab/outage'), queue: { maxMessages: 100, maxBytes: 1024 * 1024 } },
    })
    cleanups.push(() => bridge.stop())
    const { engine } = bridge
    await waitFor(() => engine.getMqttStatus().state === 'connected', {
      what: 'connected',
      timeoutMs: 15_000,
    })
    await waitFor(() => engine.listPorts()[0]!.state === 'open', { what: 'port open' })

    const watcher = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '../helpers/ws-gap-watcher.ts'),
        pty.b,
        `${bridge.url}/ports/meter`,
        '10',
      ],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
        env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.runtime.json' },
      },
    )
    cleanups.push(async () => {
      if (watcher.exitCode === null) watcher.kill('SIGKILL')
    })
    const lines = createInterface({ input: watcher.stdout! })
    const output: string[] = []
    lines.on('line', (l) => output.push(l))
    await waitFor(() => output.includes('ready'), { what: 'the watcher ready', timeoutMs: 20_000 })

    const before = await probe()
    await before.subscribe('lab/outage/ports/meter/rx')
    await before.waitFor('lab/outage/ports/meter/rx')
    // The same client's lines before the outage are the yardstick: the machine may be busy.
    watcher.stdin!.write('phase baseline\n')
    await before.waitFor('lab/outage/ports/meter/rx', () => before.seen.length >= 150, 20_000)
    await before.close()
    watcher.stdin!.write('phase outage\n')
    await broker.stop()
    const queued: number[] = []
    await waitFor(
      () => {
        const s = engine.getMqttStatus()
        queued.push(s.queued)
        return s.state !== 'connected' && s.dropped > 0
      },
      { what: 'frames dropped while the broker is away', timeoutMs: 20_000 },
    )
    const down = engine.getMqttStatus()
    assert.match(down.error ?? '', /^broker not reachable|connection to the broker lost/)
    assert.ok(Math.max(...queued) <= 100, `queued at most 100, saw ${Math.max(...queued)}`)

    await broker.start()
    await waitFor(() => engine.getMqttStatus().state === 'connected', {
      what: 'reconnected after the broker came back',
      timeoutMs: 30_000,
    })
    const afterwards = await probe()
    await afterwards.subscribe(['lab/outage/ports/meter/rx', 'lab/outage/ports/meter/values'])
    await afterwards.waitFor('lab/outage/ports/meter/rx', () => true, 15_000)
    // Values (from the port's `parse` setting) flow again too, each with its line's number.
    const numbers = () =>
      afterwards
        .texts('lab/outage/ports/meter/values')
        .map((t) => (JSON.parse(t) as { values: { n: number } }).values.n)
    await waitFor(
      () => {
        const lines = afterwards.texts('lab/outage/ports/meter/rx')
        return numbers().some((n) => lines.some((line) => line.startsWith(`L${n} `)))
      },
      { what: 'values whose number is a line published on …/rx', timeoutMs: 15_000 },
    )

    watcher.stdin!.write('stop\n')
    await waitFor(() => output.length > 1, { what: 'the watcher summary', timeoutMs: 20_000 })
    await once(watcher, 'exit')
    type Phase = { lines: number; maxMs: number; p99Ms: number; timerLateMs: number }
    const seen = JSON.parse(output[1]!) as {
      sent: number
      received: number
      phases: { baseline: Phase; outage: Phase }
    }
    assert.equal(seen.received, seen.sent, 'every line reached the WebSocket client')
    const { baseline, outage } = seen.phases
    assert.ok(outage.lines >= 20, `${outage.lines} lines during the outage`)
    // Measured in the watcher's process, from its write to the pty to its WebSocket receive:
    // the outage adds no gap over 100 ms to what the same client saw before it, beyond what the
    // machine's load did to the watcher's own timer meanwhile.
    assert.ok(
      outage.maxMs <= baseline.maxMs + 100 + outage.timerLateMs,
      `during the outage a line took ${outage.maxMs} ms (before it: at most ${baseline.maxMs} ms; ` +
        `the watcher's timer was up to ${outage.timerLateMs} ms late)`,
    )
    const status = engine.getMqttStatus()
    assert.ok(status.dropped >= down.dropped)
    assert.ok(status.published > 0)
  })
})
