import { faultsToStderr } from '../../main/core/fault-log'
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { AdminMessage, WireFrame } from '../../common/admin-wire'
import type { FrameBatch } from '../../common/contract'
import type { Engine, PortFrame } from '../../common/engine-api'
import { createAdminChannel } from '../../main/admin/admin-channel'
import { forwardBridgeEvents } from '../../main/admin/bridge-events'
import { createBridgeOperations } from '../../main/admin/bridge-operations'
import { checkOperationArgs, defaultAppPreferences } from '../../main/admin/operation-args'
import { startScriptedBridge, type ScriptedBridge } from '../helpers/scripted-bridge'
import { nextEvent, waitFor } from '../helpers/wait'
import { TestClient } from '../helpers/ws-client'

const ADMIN_TOKEN = 'admin-token-0123456789abcdef'

/**
 * What the UI's Polls, Numbers and Release controls call: the contract's operations over a real
 * engine and pty, and the frames (with their numbers) that reach a UI, over IPC or /admin.
 */
describe('contract operations for polls, numbers and release', () => {
  let rig: ScriptedBridge
  let engine: Engine | null = null
  let ops: ReturnType<typeof createBridgeOperations>
  const text = { port: 'dev', format: 'text', terminator: '\r\n', timeoutMs: 1000 } as const

  before(async () => {
    rig = await startScriptedBridge(
      'ui-ops',
      { id: 'dev', baudRate: 115200, parse: { mode: 'keyValue' } },
      (line, n) => {
        if (line === '*IDN?') return 'ACME,Model 42,A1234,2.1'
        if (line === 'MEAS?') return `V=1.5V,I=0.2A\nT=21.5`
        if (line === 'A?') return `A=${n}`
        if (/^Q\d+\?$/.test(line)) return `Q=${line.slice(1, -1)}`
        return undefined
      },
    )
    engine = rig.bridge.engine
    ops = createBridgeOperations(rig.bridge.engine, {
      getPreferences: defaultAppPreferences,
      setPreferences: defaultAppPreferences,
      saveText: async () => null,
    })
  })
  after(async () => {
    await rig.stop()
  })

  test('queryPort ("Try it"): the reply as text and hex, its numbers and its round trip', async () => {
    const idn = await ops.queryPort({ ...text, data: '*IDN?' })
    assert.ok(idn.ok, idn.ok ? '' : idn.errors.join('; '))
    assert.deepEqual(idn.value.lines, ['ACME,Model 42,A1234,2.1'])
    assert.equal(idn.value.hex[0]!.slice(0, 11), '41 43 4d 45')
    assert.deepEqual(idn.value.values, [null])
    assert.ok(idn.value.ms >= 0)
    assert.equal(rig.meter.commands('*IDN?').length, 1)
    assert.ok(rig.meter.instrument.bytes().toString().includes('*IDN?\r\n'), 'the terminator')

    const two = await ops.queryPort({ ...text, data: 'MEAS?', expectLines: 2 })
    assert.ok(two.ok)
    assert.deepEqual(two.value.lines, ['V=1.5V,I=0.2A', 'T=21.5'])
    assert.deepEqual(two.value.values, [{ V: 1.5, I: 0.2 }, { T: 21.5 }])

    const hex = await ops.queryPort({ ...text, data: '2a 49 44 4e 3f 0a', format: 'hex' })
    assert.ok(hex.ok)
    assert.deepEqual(hex.value.lines, ['ACME,Model 42,A1234,2.1'])
  })

  test('queryPort with expect on a streaming instrument; timeouts and a closed port are errors in words', async () => {
    rig.meter.stream(5, (n) => `T=${n}`)
    try {
      const reply = await ops.queryPort({ ...text, data: '*IDN?', expect: '^ACME,' })
      assert.ok(reply.ok)
      assert.deepEqual(reply.value.lines, ['ACME,Model 42,A1234,2.1'])
    } finally {
      rig.meter.stopStreaming()
    }
    // Readings still on the line would be the next query's "next frame": let them arrive.
    const drained = nextEvent<PortFrame>(
      (f) => engine!.on('frame', f),
      (f) => Buffer.from(f.bytes).toString() === 'END',
    )
    await rig.meter.write('END\n')
    await drained
    const silent = await ops.queryPort({ ...text, data: 'MUTE?', timeoutMs: 150 })
    assert.deepEqual(silent, { ok: false, errors: ['no reply within 150 ms'] })
    const unknown = await ops.queryPort({ ...text, port: 'nope', data: 'X' })
    assert.deepEqual(unknown, { ok: false, errors: ['no port with id "nope"'] })
    assert.ok((await ops.closePort('dev')).ok)
    const closed = await ops.queryPort({ ...text, data: '*IDN?' })
    assert.deepEqual(closed, {
      ok: false,
      errors: ['port "dev" is closed, not open: open it first'],
    })
    assert.ok((await ops.openPort('dev')).ok)
  })

  test('queryPort takes its turn with the polls: it never gets their answers, nor they its', async () => {
    const settings = (await ops.listPorts())[0]!.settings
    const polled = await ops.updatePort('dev', {
      ...settings,
      polls: [{ name: 'a', command: 'A?', intervalMs: 20, expect: '^A=' }],
    })
    assert.ok(polled.ok)
    const answeredByPoll = async () =>
      (await ops.listPorts())[0]!.polls!.find((p) => p.name === 'a')!.stats.answered
    // Queries until the poll has answered a few times meanwhile (at least 20 of them).
    for (let i = 1; i <= 20 || (await answeredByPoll()) < 3; i++) {
      assert.ok(i < 2000, 'the poll never ran alongside')
      const reply = await ops.queryPort({ ...text, data: `Q${i}?` })
      assert.ok(reply.ok, JSON.stringify(reply))
      assert.deepEqual(reply.value.lines, [`Q=${i}`])
    }
    assert.ok((await ops.updatePort('dev', { ...settings, polls: [] })).ok)
  })

  test('releasePort: released with until, or until opened; openPort ends it', async () => {
    const before = Date.now()
    const timed = await ops.releasePort('dev', 60)
    assert.ok(timed.ok)
    assert.equal(timed.value.state, 'released')
    const until = Date.parse(timed.value.until ?? '')
    assert.ok(until >= before + 60_000 && until <= Date.now() + 60_000)
    const open = await ops.releasePort('dev', null)
    assert.ok(open.ok)
    assert.deepEqual([open.value.state, open.value.until], ['released', null])
    assert.ok((await ops.openPort('dev')).ok)
    assert.equal((await ops.listPorts())[0]!.state, 'open')
    assert.deepEqual(await ops.releasePort('nope', 5), {
      ok: false,
      errors: ['no port with id "nope"'],
    })
  })

  test('arguments are checked before the engine sees them, naming the field', () => {
    const query = (extra: object) =>
      checkOperationArgs('queryPort', [{ ...text, data: 'X', ...extra }])
    assert.deepEqual(query({}).ok, true)
    const pattern = query({ expect: '(' })
    assert.ok(!pattern.ok && /^expect: does not compile/.test(pattern.errors[0]!))
    const late = query({ timeoutMs: 60_001 })
    assert.ok(!late.ok && /^timeoutMs: /.test(late.errors[0]!))
    const lines = query({ expectLines: 0 })
    assert.ok(!lines.ok && /^expectLines: /.test(lines.errors[0]!))
    const extra = query({ poll: 'x' })
    assert.ok(!extra.ok && extra.errors[0] === 'poll: unknown field')
    assert.ok(checkOperationArgs('releasePort', ['dev', null]).ok)
    const zero = checkOperationArgs('releasePort', ['dev', 0])
    assert.ok(!zero.ok && /^argument 2: /.test(zero.errors[0]!))
    const arity = checkOperationArgs('releasePort', ['dev'])
    assert.ok(!arity.ok && arity.errors[0] === 'expects 2 argument(s), got 1')
  })

  test('frames reaching a UI carry their numbers and their poll: over IPC batches and /admin', async () => {
    const batches: FrameBatch[] = []
    const stop = forwardBridgeEvents(engine!, (event, payload) => {
      if (event === 'frames') batches.push(payload as FrameBatch)
    })
    try {
      const settings = (await ops.listPorts())[0]!.settings
      await ops.updatePort('dev', {
        ...settings,
        polls: [{ name: 'm', command: 'MEAS?', intervalMs: 50 }],
      })
      const frames = await waitFor(
        () => {
          const all = batches.flatMap((b) => b.frames)
          return all.some((f) => f.poll === 'm') && all
        },
        { what: 'a poll reply in a batch' },
      )
      const reply = frames.find((f) => f.poll === 'm')!
      assert.deepEqual(
        [reply.direction, Buffer.from(reply.data).toString(), reply.values, reply.units],
        ['rx', 'V=1.5V,I=0.2A', { V: 1.5, I: 0.2 }, { V: 'V', I: 'A' }],
      )
      await ops.updatePort('dev', { ...settings, polls: [] })
    } finally {
      stop()
    }
  })
})

describe('the admin wire carries numbers and polls, and queryPort', () => {
  let rig: ScriptedBridge

  before(async () => {
    let engine: Engine | null = null
    rig = await startScriptedBridge(
      'ui-wire',
      {
        id: 'dev',
        baudRate: 115200,
        parse: { mode: 'number', name: 'g' },
        polls: [{ name: 'w', command: 'W?', intervalMs: 50 }],
      },
      (line) => (line === 'W?' ? '+  12.5 g' : undefined),
      {
        engine: {
          extensions: [
            createAdminChannel(() => engine!, ADMIN_TOKEN, { logFault: faultsToStderr }),
          ],
        },
      },
    )
    engine = rig.bridge.engine
  })
  after(async () => {
    await rig.stop()
  })

  test('/admin frame batches have values, units and poll; queryPort answers over the wire', async () => {
    const admin = await TestClient.connect(`${rig.bridge.url}/admin?adminToken=${ADMIN_TOKEN}`)
    try {
      const frame = await admin.next(
        (r) => {
          const m = JSON.parse(r.data) as AdminMessage
          return m.kind === 'frames' ? m.frames.find((f: WireFrame) => f.poll === 'w') : undefined
        },
        { what: 'a poll reply on the wire', timeoutMs: 10_000 },
      )
      assert.deepEqual(
        [Buffer.from(frame.data, 'base64').toString(), frame.values, frame.units],
        ['+  12.5 g', { g: 12.5 }, { g: 'g' }],
      )
      admin.send({
        seq: 7,
        op: 'queryPort',
        args: [{ port: 'dev', data: 'W?', format: 'text', terminator: '\n', timeoutMs: 2000 }],
      })
      const answer = await admin.next((r) => {
        const m = JSON.parse(r.data) as AdminMessage
        return m.kind === 'result' && m.seq === 7 ? m : undefined
      })
      assert.ok(answer.ok, JSON.stringify(answer))
      const result = answer.value as { ok: true; value: { lines: string[]; values: unknown[] } }
      assert.deepEqual([result.value.lines, result.value.values], [['+  12.5 g'], [{ g: 12.5 }]])
    } finally {
      await admin.close()
    }
  })
})
