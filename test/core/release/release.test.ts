import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { PortHolder } from '../../helpers/port-holder'
import { startScriptedBridge, type ScriptedBridge } from '../../helpers/scripted-bridge'
import { waitFor } from '../../helpers/wait'
import { ControlClients } from '../../helpers/control-clients'

/** `release`: the port is closed for a while so another program can use the device. */
describe('releasing a port to another program', () => {
  let rig: ScriptedBridge
  const clients = new ControlClients(() => rig.bridge.url)
  const connect = () => clients.connect()
  const info = () => rig.bridge.engine.listPorts()[0]!
  const pollStats = () => info().polls![0]!.stats

  before(async () => {
    rig = await startScriptedBridge(
      'release',
      {
        id: 'meter',
        baudRate: 115200,
        polls: [{ name: 'p', command: 'P?', intervalMs: 50, timeoutMs: 200 }],
      },
      (line, n) => (line === 'P?' ? `P=${n}` : undefined),
    )
  })
  after(async () => {
    await clients.closeAll()
    await rig.stop()
  })

  test('released for 1 s: everyone is told with until, polls pause, clients stay; then it opens by itself', async () => {
    const watcher = await connect()
    const releaser = await connect()
    watcher.send({ type: 'subscribe', ports: ['meter'] })
    await watcher.nextMessage('subscribed')
    await waitFor(() => pollStats().answered >= 2, { what: 'the poll at work' })
    const asked = Date.now()
    releaser.send({ type: 'release', port: 'meter', seconds: 1, id: 'r' })
    const answer = await releaser.nextMessage('released')
    assert.equal(answer.id, 'r')
    const until = Date.parse(answer.until ?? '')
    assert.ok(until >= asked + 1000 && until <= Date.now() + 1000, answer.until ?? 'null')
    const status = await watcher.nextMessage('status', (m) => m.state === 'released')
    assert.equal(status.until, answer.until)
    assert.equal(info().until, answer.until)
    const paused = pollStats().sent
    const reopened = await watcher.nextMessage('status', (m) => m.state === 'open', {
      timeoutMs: 10_000,
    })
    assert.ok(Date.now() >= until, 'not before its time')
    assert.equal(reopened.until, undefined)
    assert.ok(pollStats().sent <= paused + 1, 'no poll while released')
    await waitFor(() => pollStats().answered >= 5, { what: 'the poll going on' })
    for (const c of [watcher, releaser]) {
      c.send({ type: 'ping', id: 'still' })
      await c.nextMessage('pong', (m) => m.id === 'still')
    }
  })

  test('released until opened: a waiting query gets PORT_NOT_OPEN; an explicit open ends it', async () => {
    const c = await connect()
    c.send({ type: 'query', port: 'meter', data: 'SILENT?', timeoutMs: 30_000, id: 'q' })
    await waitFor(() => rig.meter.commands('SILENT?').length === 1, { what: 'the query' })
    c.send({ type: 'release', port: 'meter', id: 'r' })
    const released = await c.nextMessage('released', (m) => m.id === 'r')
    assert.equal(released.until, null)
    const failed = await c.nextMessage('error', (m) => m.id === 'q')
    assert.deepEqual([failed.code, failed.message], ['PORT_NOT_OPEN', 'port "meter" was released'])
    assert.deepEqual([info().state, info().until], ['released', null])
    c.send({ type: 'query', port: 'meter', data: 'P?', id: 'q2' })
    const refused = await c.nextMessage('error', (m) => m.id === 'q2')
    assert.match(
      refused.message,
      /^port "meter" is released, not open: it is released to another program/,
    )
    const opened = await rig.bridge.engine.openPort('meter')
    assert.ok(opened.ok)
    assert.equal(info().state, 'open')
  })

  test('the other program still holds the port: "in use by another program" while it does, then open', async () => {
    const c = await connect()
    c.send({ type: 'subscribe', ports: ['meter'] })
    await c.nextMessage('subscribed')
    const released = await rig.bridge.engine.releasePort('meter', 1)
    assert.ok(released.ok)
    assert.equal(released.value.state, 'released')
    const holder = await PortHolder.hold(rig.pty.a)
    try {
      const busy = await c.nextMessage('status', (m) => m.state === 'reconnecting', {
        timeoutMs: 10_000,
      })
      assert.equal(
        busy.error,
        `${rig.pty.a} is in use by another program. Close that program, then try again.`,
      )
    } finally {
      await holder.release()
    }
    await c.nextMessage('status', (m) => m.state === 'open', { timeoutMs: 10_000 })
    const answered = pollStats().answered
    await waitFor(() => pollStats().answered > answered, { what: 'the poll once open' })
  })

  test('read-only clients may not release; bad requests name the field; nothing changes', async () => {
    const c = await connect()
    const id = rig.bridge.engine.listClients().at(-1)!.id
    const cases: Array<[object, string, RegExp]> = [
      [{ port: 'nope' }, 'UNKNOWN_PORT', /^unknown port: nope$/],
      [{ port: 'meter', seconds: 0 }, 'BAD_MESSAGE', /^seconds: /],
      [{ port: 'meter', seconds: 86_401 }, 'BAD_MESSAGE', /^seconds: /],
      [{ port: 'meter', seconds: 1.5 }, 'BAD_MESSAGE', /^seconds: /],
    ]
    for (const [fields, code, text] of cases) {
      c.send({ type: 'release', ...fields, id: code })
      const answer = await c.nextMessage('error', (m) => m.id === code)
      assert.equal(answer.code, code)
      assert.match(answer.message, text)
    }
    // A port the operator closed stays closed: released, it would open at the end.
    assert.ok((await rig.bridge.engine.closePort('meter')).ok)
    c.send({ type: 'release', port: 'meter', seconds: 1, id: 'closed' })
    const closed = await c.nextMessage('error', (m) => m.id === 'closed')
    assert.deepEqual(
      [closed.code, closed.message],
      ['PORT_NOT_OPEN', 'port "meter" is closed, not open: open it first'],
    )
    assert.ok((await rig.bridge.engine.openPort('meter')).ok)
    assert.ok(rig.bridge.engine.setClientReadOnly(id, true).ok)
    c.send({ type: 'release', port: 'meter', seconds: 60, id: 'ro' })
    const refused = await c.nextMessage('error', (m) => m.id === 'ro')
    assert.deepEqual([refused.code, refused.message], ['FORBIDDEN', 'this client is read-only'])
    assert.equal(info().state, 'open')
  })
})
