import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { PollSettingsInput } from '../../../common/polls/poll-settings'
import type { PollInfo, PortState } from '../../../common/protocol'
import { startScriptedBridge, type ScriptedBridge } from '../../helpers/scripted-bridge'
import { waitFor } from '../../helpers/wait'
import { ControlClients } from '../../helpers/control-clients'
import type { TestClient } from '../../helpers/ws-client'

/** Polls through the real engine, a real pty and a scripted instrument (feature `polls`). */
describe('polls', () => {
  let rig: ScriptedBridge
  let mute = false
  const clients = new ControlClients(() => rig.bridge.url)
  const connect = (path?: string) => clients.connect(path)
  const port = () => rig.bridge.engine.listPorts()[0]!
  const poll = (name: string): PollInfo | undefined => port().polls?.find((p) => p.name === name)
  const stats = (name: string) => poll(name)?.stats
  let nextId = 1
  /** Sends a request and resolves with its answer (matched by id). */
  const ask = async (c: TestClient, message: object) => {
    const id = nextId++
    const from = c.received.length
    c.send({ ...message, id })
    return c.next(
      (r) => {
        const m = JSON.parse(r.data) as { id?: unknown; type: string }
        return m.id === id ? (m as Record<string, unknown>) : undefined
      },
      { from, what: `the answer to ${JSON.stringify(message)}` },
    )
  }

  before(async () => {
    rig = await startScriptedBridge('polls', { id: 'meter', baudRate: 115200 }, (line, n) => {
      if (mute && line === 'M?') return undefined
      const m = /^([A-Z]+)[:A-Z]*\?$/.exec(line)
      return m ? `${m[1]}=${n}` : undefined
    })
  })
  after(async () => {
    await clients.closeAll()
    await rig.stop()
  })

  test('replies go out as data tagged with the poll, to subscribers and port streams; PortInfo lists it with stats', async () => {
    const c = await connect()
    const stream = await connect('/ports/meter?format=json')
    const hello = c.messages()[0] as { clientId: string }
    await ask(c, { type: 'subscribe', ports: ['meter'] })
    const started = await ask(c, {
      type: 'startPoll',
      port: 'meter',
      name: 'volt',
      command: 'MEAS:VOLT?',
      intervalMs: 50,
      // Without it a line the instrument sends on its own while a question waits is the reply.
      expect: '^MEAS=',
    })
    assert.deepEqual(started, {
      type: 'pollStarted',
      port: 'meter',
      name: 'volt',
      intervalMs: 50,
      id: started.id,
    })
    for (const client of [c, stream]) {
      const reply = await client.nextMessage('data', (m) => m.poll === 'volt')
      assert.match(reply.data, /^MEAS=\d+$/)
    }
    await rig.meter.write('T=1\n')
    const own = await c.nextMessage('data', (m) => m.data === 'T=1')
    assert.equal(own.poll, undefined, 'what the instrument says on its own is no reply')

    await waitFor(() => (stats('volt')?.answered ?? 0) >= 3, { what: '3 answers' })
    const info = poll('volt')!
    assert.equal(info.owner, hello.clientId)
    assert.deepEqual(
      { command: info.command, intervalMs: info.intervalMs, encoding: info.encoding },
      { command: 'MEAS:VOLT?', intervalMs: 50, encoding: 'utf8' },
    )
    assert.ok(info.stats.sent >= info.stats.answered)
    assert.match(info.stats.lastReplyAt ?? '', /^\d{4}-\d\d-\d\dT/)
    assert.equal(typeof info.stats.lastRoundTripMs, 'number')

    const stopped = await ask(c, { type: 'stopPoll', port: 'meter', name: 'volt' })
    assert.equal(stopped.type, 'pollStopped')
    const sent = rig.meter.commands('MEAS:VOLT?').length
    // Time passes, shown by another poll at work: no MEAS:VOLT? more.
    await ask(c, { type: 'startPoll', port: 'meter', name: 'b', command: 'B?', intervalMs: 20 })
    await waitFor(() => rig.meter.commands('B?').length >= 10, { what: 'poll b at work' })
    await ask(c, { type: 'stopPoll', port: 'meter', name: 'b' })
    assert.equal(rig.meter.commands('MEAS:VOLT?').length, sent)
    assert.equal(poll('volt'), undefined)
  })

  test('a slow instrument: a tick whose reply is outstanding is skipped, never queued', async () => {
    const c = await connect()
    rig.meter.delayMs = 150
    rig.meter.maxBacklog = 0
    try {
      await ask(c, {
        type: 'startPoll',
        port: 'meter',
        name: 'slow',
        command: 'S?',
        intervalMs: 20,
      })
      await waitFor(() => (stats('slow')?.answered ?? 0) >= 3, { what: '3 slow answers' })
      const snapshot = stats('slow')!
      await ask(c, { type: 'stopPoll', port: 'meter', name: 'slow' })
      assert.ok(snapshot.skipped >= 10, `skipped ${snapshot.skipped}: ~7 ticks pass per answer`)
      assert.ok(snapshot.sent - snapshot.answered <= 1, JSON.stringify(snapshot))
      assert.equal(snapshot.timeouts, 0)
      assert.equal(rig.meter.maxBacklog, 1, 'the instrument never had two questions waiting')
    } finally {
      rig.meter.delayMs = 0
    }
  })

  test('timeouts are counted and the poll keeps going', async () => {
    const c = await connect()
    mute = true
    await ask(c, {
      type: 'startPoll',
      port: 'meter',
      name: 'm',
      command: 'M?',
      intervalMs: 50,
      timeoutMs: 60,
    })
    await waitFor(() => (stats('m')?.timeouts ?? 0) >= 3, { what: '3 timeouts' })
    mute = false
    const answered = stats('m')!.answered
    await waitFor(() => (stats('m')?.answered ?? 0) >= answered + 3, { what: 'answers again' })
    await ask(c, { type: 'stopPoll', port: 'meter', name: 'm' })
  })

  test("a client's poll stops when it leaves; a persisted one is saved in the settings, without a reopen", async () => {
    const c = await connect()
    const openSince = port().metrics.openSince
    const states: string[] = []
    const off = rig.bridge.engine.on('port', ({ port: p }) => void states.push(p.state))
    await ask(c, { type: 'startPoll', port: 'meter', name: 'mine', command: 'X?', intervalMs: 50 })
    const kept = await ask(c, {
      type: 'startPoll',
      port: 'meter',
      name: 'kept',
      command: 'K?',
      intervalMs: 50,
      persist: true,
    })
    assert.equal(kept.type, 'pollStarted')
    const saved = rig.bridge.engine.getSettings().ports[0]!.polls
    assert.deepEqual(saved, [
      { name: 'kept', command: 'K?', intervalMs: 50, encoding: 'utf8', timeoutMs: 1000 },
    ])
    assert.equal(poll('kept')?.owner, 'settings')
    assert.equal(port().metrics.openSince, openSince, 'the same open line')
    assert.ok(
      states.every((s) => s === 'open'),
      `states: ${states.join(', ')}`,
    )
    off()

    await c.close()
    await waitFor(() => poll('mine') === undefined, { what: "the client's poll to stop" })
    const asked = rig.meter.commands('X?').length
    const answered = stats('kept')!.answered
    await waitFor(() => (stats('kept')?.answered ?? 0) >= answered + 3, { what: 'kept polling' })
    assert.equal(rig.meter.commands('X?').length, asked, 'nothing of "mine" after it left')

    const other = await connect()
    const stopped = await ask(other, { type: 'stopPoll', port: 'meter', name: 'kept' })
    assert.equal(stopped.type, 'pollStopped')
    assert.deepEqual(rig.bridge.engine.getSettings().ports[0]!.polls, [])
    assert.equal(poll('kept'), undefined)
  })

  test("a read-only client may not start or stop polls; nor stop another client's", async () => {
    const owner = await connect()
    const reader = await connect()
    await ask(owner, {
      type: 'startPoll',
      port: 'meter',
      name: 'own',
      command: 'O?',
      intervalMs: 100,
    })
    const other = await ask(reader, { type: 'stopPoll', port: 'meter', name: 'own' })
    assert.deepEqual([other.type, other.code], ['error', 'FORBIDDEN'])
    assert.match(
      String(other.message),
      /poll "own" was started by client c\d+: only it can stop it/,
    )
    const readerId = rig.bridge.engine.listClients().at(-1)!.id
    assert.ok(rig.bridge.engine.setClientReadOnly(readerId, true).ok)
    for (const message of [
      { type: 'startPoll', port: 'meter', name: 'r', command: 'R?', intervalMs: 100 },
      { type: 'startPoll', port: 'meter', command: 'R?', intervalMs: 100, persist: true },
      { type: 'stopPoll', port: 'meter', name: 'own' },
    ]) {
      const answer = await ask(reader, message)
      assert.deepEqual([answer.type, answer.code], ['error', 'FORBIDDEN'], JSON.stringify(message))
    }
    assert.deepEqual(rig.bridge.engine.getSettings().ports[0]!.polls, [])
    assert.equal(poll('own')?.owner, rig.bridge.engine.listClients().at(-2)!.id)
    await ask(owner, { type: 'stopPoll', port: 'meter', name: 'own' })
  })

  test('bad input names the field, and nothing running is disturbed', async () => {
    const c = await connect()
    const rival = await connect()
    await ask(c, {
      type: 'startPoll',
      port: 'meter',
      name: 'steady',
      command: 'Y?',
      intervalMs: 50,
    })
    const openSince = port().metrics.openSince
    const settings = rig.bridge.engine.getSettings()
    const base = { type: 'startPoll', port: 'meter', command: 'Z?', intervalMs: 100 }
    const refusals: Array<[object, string, RegExp]> = [
      [{ ...base, intervalMs: 5 }, 'BAD_MESSAGE', /^intervalMs: intervalMs must be at least 20 ms/],
      [{ ...base, intervalMs: 86_400_001 }, 'BAD_MESSAGE', /^intervalMs: .*at most 24 h/],
      [{ ...base, expect: '(' }, 'BAD_MESSAGE', /^expect: does not compile/],
      [
        { ...base, encoding: 'hex', command: '0d0' },
        'BAD_MESSAGE',
        /^command: is not pairs of hex/,
      ],
      [{ ...base, name: 'no spaces' }, 'BAD_MESSAGE', /^name: name may use only/],
      [{ ...base, name: 'steady' }, 'BAD_MESSAGE', /^name: a poll named "steady" already runs/],
      [{ ...base, port: 'nope' }, 'UNKNOWN_PORT', /^unknown port: nope$/],
    ]
    for (const [message, code, text] of refusals) {
      const answer = await ask(rival, message)
      assert.equal(answer.code, code, JSON.stringify(message))
      assert.match(String(answer.message), text)
    }
    const portSettings = port().settings
    const duplicate = await rig.bridge.engine.updatePort('meter', {
      ...portSettings,
      polls: [
        { name: 'a', command: 'A?', intervalMs: 100 },
        { name: 'a', command: 'B?', intervalMs: 5 },
      ],
    })
    assert.equal(duplicate.ok, false)
    const errors = duplicate.ok ? '' : duplicate.errors.join('\n')
    assert.match(errors, /^polls\[1\]\.intervalMs: intervalMs must be at least 20 ms$/m)
    assert.match(errors, /^polls\[1\]\.name: duplicate poll name "a" \(also polls\[0\]\)$/m)

    const answered = stats('steady')!.answered
    await waitFor(() => (stats('steady')?.answered ?? 0) >= answered + 3, { what: 'steady' })
    assert.equal(port().metrics.openSince, openSince)
    assert.deepEqual(rig.bridge.engine.getSettings(), settings)
    assert.equal(port().polls?.length, 1)
    await ask(c, { type: 'stopPoll', port: 'meter', name: 'steady' })
  })

  test('settings polls run without a reopen, start again when changed and stop when removed', async () => {
    const openSince = port().metrics.openSince
    const apply = (polls: PollSettingsInput[]) =>
      rig.bridge.engine.updatePort('meter', { ...port().settings, polls })
    assert.ok((await apply([{ name: 'cfg', command: 'CFG?', intervalMs: 50 }])).ok)
    await waitFor(() => (stats('cfg')?.answered ?? 0) >= 3, { what: 'cfg answers' })
    assert.equal(poll('cfg')?.owner, 'settings')
    const before = stats('cfg')!.sent
    assert.ok((await apply([{ name: 'cfg', command: 'CFG?', intervalMs: 40 }])).ok)
    assert.equal(poll('cfg')?.intervalMs, 40)
    assert.ok(stats('cfg')!.sent < before, 'a changed poll starts again, with new stats')
    // A change elsewhere in the port's settings leaves the poll running as it was.
    await waitFor(() => (stats('cfg')?.answered ?? 0) >= 2, { what: 'cfg again' })
    const running = stats('cfg')!.sent
    assert.ok(
      (await rig.bridge.engine.updatePort('meter', { ...port().settings, writeTerminator: '\n' }))
        .ok,
    )
    assert.ok(stats('cfg')!.sent >= running)
    assert.ok((await apply([])).ok)
    assert.equal(poll('cfg'), undefined)
    assert.equal(port().metrics.openSince, openSince, 'never reopened')
  })
})

/** Unplugging and closing pause a port's polls; they go on once it is open again. */
describe('polls across unplug, re-plug and close', () => {
  let rig: ScriptedBridge

  before(async () => {
    rig = await startScriptedBridge(
      'poll-plug',
      {
        id: 'meter',
        baudRate: 115200,
        polls: [{ name: 'p', command: 'P?', intervalMs: 50, timeoutMs: 200 }],
      },
      (_line, n) => `P=${n}`,
    )
  })
  after(async () => {
    await rig.stop()
  })

  const stats = () => rig.bridge.engine.listPorts()[0]!.polls![0]!.stats
  const state = (): PortState => rig.bridge.engine.listPorts()[0]!.state

  test('a settings poll runs from the start, pauses while unplugged or closed, and goes on', async () => {
    await waitFor(() => stats().answered >= 3, { what: 'answers' })
    await rig.meter.close()
    await rig.pty.unplug()
    await waitFor(() => state() === 'reconnecting', { what: 'reconnecting', timeoutMs: 10_000 })
    const paused = stats().sent
    await rig.pty.plug()
    await waitFor(() => state() === 'open', { what: 'reopened', timeoutMs: 10_000 })
    assert.ok(stats().sent <= paused + 1, 'nothing asked while the port was away')
    const { ScriptedInstrument } = await import('../../helpers/scripted-instrument')
    rig.meter = await ScriptedInstrument.open(rig.pty.b, (_line, n) => `P=${n}`)
    const answered = stats().answered
    await waitFor(() => stats().answered >= answered + 3, { what: 'answers after re-plug' })

    assert.ok((await rig.bridge.engine.closePort('meter')).ok)
    const closed = stats().sent
    const asked = rig.meter.commands('P?').length
    assert.ok((await rig.bridge.engine.openPort('meter')).ok)
    assert.ok(stats().sent <= closed + 1)
    assert.ok(rig.meter.commands('P?').length <= asked + 1)
    await waitFor(() => stats().answered >= answered + 6, { what: 'answers after reopen' })
  })
})
