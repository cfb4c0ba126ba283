import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import type { PortFrame } from '../../common/engine-api'
import type { Settings } from '../../common/settings-schema'
import { startEngine } from '../helpers/engine-fixture'
import { describeOnLines } from '../helpers/test-lines'
import { TestClient } from '../helpers/ws-client'
import { nextEvent, waitFor } from '../helpers/wait'
import { freePort } from '../helpers/free-port'

describeOnLines('the engine API that the app drives', (kind) => {
  const line = kind.line('eng')
  const saved: Settings[] = []
  let bridge: Awaited<ReturnType<typeof startEngine>>

  before(async () => {
    await line.plug()
    bridge = await startEngine({}, { persist: (s) => void saved.push(s), binding: line.binding })
  })
  after(async () => {
    await bridge.stop()
    await line.dispose()
  })

  test('add, open, update and remove a port; every change is persisted and told to /ws clients', async () => {
    const control = await TestClient.connect(bridge.url + '/ws')
    await control.nextMessage('hello')
    const added = await bridge.engine.addPort({ id: 'bench', path: line.a, autoOpen: false })
    assert.ok(added.ok)
    assert.equal(saved.at(-1)?.ports[0]?.id, 'bench')
    assert.deepEqual(
      (await control.nextMessage('ports')).ports.map((p) => p.id),
      ['bench'],
    )

    const dup = await bridge.engine.addPort({ id: 'bench', path: '/dev/null' })
    assert.deepEqual(dup, { ok: false, errors: ['id: a port with id "bench" already exists'] })
    const wrong = await bridge.engine.addPort({ path: '' })
    assert.equal(wrong.ok, false)

    const opened = await bridge.engine.openPort('bench')
    assert.equal(opened.ok && opened.value.state, 'open')
    const instrument = await line.openInstrument()
    try {
      const frames = nextEvent<PortFrame>(
        (l) => bridge.engine.on('frame', l),
        (f) => f.direction === 'rx',
      )
      await instrument.write('42\n')
      assert.equal(Buffer.from((await frames).bytes).toString(), '42')
      const written = await bridge.engine.writePort('bench', new TextEncoder().encode('CMD\n'))
      assert.deepEqual(written, { ok: true, value: { bytes: 4 } })
      await instrument.waitForLine('CMD')

      const updated = await bridge.engine.updatePort('bench', {
        id: 'bench',
        path: line.a,
        baudRate: 57600,
      })
      assert.ok(updated.ok)
      assert.equal(bridge.engine.listPorts()[0]?.settings.baudRate, 57600)
      await waitFor(() => bridge.engine.listPorts()[0]?.state === 'open', {
        what: 'reopen after update',
      })
      assert.equal(saved.at(-1)?.ports[0]?.baudRate, 57600)
    } finally {
      await instrument.close()
    }
    assert.deepEqual(await bridge.engine.removePort('bench'), { ok: true, value: undefined })
    assert.deepEqual(saved.at(-1)?.ports, [])
    assert.equal((await bridge.engine.writePort('bench', new Uint8Array([1]))).ok, false)
    await control.close()
  })

  test('a second port on a device that a port already has is refused, naming that port', async () => {
    assert.ok((await bridge.engine.addPort({ id: 'first', path: line.a, autoOpen: false })).ok)
    const second = await bridge.engine.addPort({ id: 'second', path: line.a, autoOpen: false })
    assert.deepEqual(second, {
      ok: false,
      errors: [
        `path: ${line.a} is already used by port "first": one device can belong to one port only`,
      ],
    })
    assert.ok(
      (await bridge.engine.addPort({ id: 'other', path: '/dev/ttyNOPE8', autoOpen: false })).ok,
    )
    const moved = await bridge.engine.updatePort('other', { id: 'other', path: line.a })
    assert.equal(moved.ok, false)
    assert.match(moved.ok ? '' : moved.errors[0]!, /already used by port "first"/)
    assert.ok(
      (await bridge.engine.updatePort('first', { id: 'first', path: line.a, baudRate: 19200 })).ok,
    )
    const imported = await bridge.engine.importSettings({
      ports: [
        { id: 'a', path: line.a },
        { id: 'b', path: line.a },
      ],
    })
    assert.equal(imported.ok, false)
    assert.deepEqual(
      bridge.engine.listPorts().map((p) => p.id),
      ['first', 'other'],
      'a refused import changes nothing',
    )
    await bridge.engine.removePort('first')
    await bridge.engine.removePort('other')
  })

  test('an unplug keeps clients connected and tells them; writes meanwhile are refused, not queued', async () => {
    await bridge.engine.addPort({ id: 'dev', path: line.a })
    await bridge.engine.openPort('dev')
    const c = await TestClient.connect(bridge.url + '/ws')
    c.send({ type: 'subscribe', ports: ['dev'] })
    await c.nextMessage('subscribed')
    await line.unplug()
    const status = await c.nextMessage('status', (m) => m.state === 'reconnecting')
    assert.match(status.error ?? '', /unplugged|not found/)
    c.send({ type: 'write', port: 'dev', data: 'lost?', id: 'w' })
    const refused = await c.nextMessage('error', (m) => m.id === 'w')
    assert.equal(refused.code, 'PORT_NOT_OPEN')
    assert.match(
      refused.message,
      /^port "dev" is reconnecting, not open: its device is unplugged or busy, and Serial Bridge opens it again by itself/,
      'says it is reconnecting, not "open it first"',
    )
    await line.plug()
    await c.nextMessage('status', (m) => m.state === 'open', { timeoutMs: 4000 })
    assert.equal(c.ws.readyState, c.ws.OPEN)
    await c.close()
    await bridge.engine.removePort('dev')
  })

  test('changing the listen port restarts the server on the new address', async () => {
    const first = bridge.engine.getServerStatus().url
    const same = await bridge.engine.updateServerSettings({ port: 0, maxClients: 10 })
    assert.ok(same.ok)
    assert.equal(bridge.engine.getSettings().server.maxClients, 10)
    assert.equal(bridge.engine.getServerStatus().url, first, 'port 0 → 0 is no change: no restart')

    const port = await freePort()
    const moved = await bridge.engine.updateServerSettings({ port })
    assert.ok(moved.ok)
    assert.equal(bridge.engine.getServerStatus().url, `ws://127.0.0.1:${port}`)
    const c = await TestClient.connect(`ws://127.0.0.1:${port}/ws`)
    await c.nextMessage('hello')
    await c.close()
    await bridge.engine.updateServerSettings({ port: 0 })
  })

  test('an address that cannot be bound goes back to the one that worked; other changes stay', async () => {
    const working = await freePort()
    assert.ok((await bridge.engine.updateServerSettings({ port: working })).ok)
    const url = bridge.engine.getServerStatus().url
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const busyPort = (taken.address() as AddressInfo).port
    try {
      const result = await bridge.engine.updateServerSettings({ port: busyPort, maxClients: 11 })
      assert.equal(result.ok, false)
      assert.deepEqual(result.ok ? [] : result.errors.map((e) => e.split(':')[0]), ['server.port'])
      assert.match(
        result.ok ? '' : (result.errors[0] ?? ''),
        new RegExp(
          `cannot listen with the new value \\(.*already in use.*\\); kept ${working}, ` +
            `still listening on ws://127\\.0\\.0\\.1:${working}\\. Any other changes were saved\\.$`,
        ),
      )
      assert.equal(bridge.engine.getServerStatus().url, url, 'the same address as before')
      assert.match(
        bridge.engine.getServerStatus().error ?? '',
        /^the new server\.port could not be used \(.*already in use.*\); kept as it was$/,
        'the status says it too, for a UI that lost the reply',
      )
      assert.equal(bridge.engine.getSettings().server.port, working)
      assert.equal(bridge.engine.getSettings().server.maxClients, 11, 'the other change stays')
      assert.equal(
        saved.at(-1)?.server.port,
        working,
        'the saved file keeps the address that works',
      )
      assert.equal(saved.at(-1)?.server.maxClients, 11)
      const c = await TestClient.connect(`${url}/ws`)
      await c.nextMessage('hello')
      await c.close()

      // A settings file with that address is imported all the same, on the working address.
      const imported = await bridge.engine.importSettings({
        server: { port: busyPort, maxClients: 12 },
        ports: [{ id: 'imported', path: '/dev/ttyNOPE9', autoOpen: false }],
      })
      assert.ok(imported.ok)
      assert.equal(imported.value.server.port, working)
      assert.equal(imported.value.server.maxClients, 12)
      assert.deepEqual(
        bridge.engine.listPorts().map((p) => p.id),
        ['imported'],
      )
      assert.equal(bridge.engine.getServerStatus().url, url)
      await bridge.engine.removePort('imported')
    } finally {
      await new Promise((resolve) => taken.close(resolve))
      await bridge.engine.updateServerSettings({ port: 0 })
    }
  })
})
