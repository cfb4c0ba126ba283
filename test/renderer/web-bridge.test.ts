import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import { WebSocket } from 'ws'
import type { AdminCall } from '../../common/admin-wire'
import { invokeChannels, type FrameBatch } from '../../common/contract'
import type { Engine, PortInfo } from '../../common/engine-api'
import { createAdminChannel } from '../../main/admin/admin-channel'
import { faultsToStderr } from '../../main/core/fault-log'
import {
  createWebBridge,
  type AdminConnectionState,
  type SocketLike,
  type WebBridge,
} from '../../renderer/src/bridge/web-bridge'
import { startEngine } from '../helpers/engine-fixture'
import { nextEvent, waitFor } from '../helpers/wait'
import { TestClient } from '../helpers/ws-client'

const ADMIN_TOKEN = 'admin-token-0123456789abcdef'

/**
 * The web bridge (the browser UI's side of the contract) against the real admin channel
 * (main/admin/admin-channel.ts) over a real engine on port 0, as headless mode's `--ui` runs it.
 */
describe('web bridge against the real admin channel', () => {
  let bridge: Awaited<ReturnType<typeof startEngine>>
  let adminUrl: string
  const open: Array<{ close(): Promise<void> | void }> = []

  before(async () => {
    let engine: Engine | null = null
    bridge = await startEngine(
      { ports: [{ id: 'sim', path: 'sim:demo' }] },
      {
        extensions: [createAdminChannel(() => engine!, ADMIN_TOKEN, { logFault: faultsToStderr })],
      },
    )
    engine = bridge.engine
    adminUrl = `${bridge.url}/admin?adminToken=${ADMIN_TOKEN}`
    await waitFor(() => bridge.engine.listPorts()[0]?.state === 'open', { what: 'sim open' })
  })
  after(() => bridge.stop())
  afterEach(async () => {
    for (const thing of open.splice(0).reverse()) await thing.close()
  })

  /** A web bridge on real `ws` sockets; `sent` is what it wrote, `sockets` each one it made. */
  function connect(
    options: { url?: string; origin?: string; backoff?: { firstMs: number; maxMs: number } } = {},
  ) {
    const sent: AdminCall[] = []
    const sockets: WebSocket[] = []
    const web: WebBridge = createWebBridge({
      url: options.url ?? adminUrl,
      backoff: options.backoff ?? { firstMs: 20, maxMs: 80 },
      createSocket: (u) => {
        const ws = new WebSocket(u, options.origin ? { origin: options.origin } : {})
        sockets.push(ws)
        const send = ws.send.bind(ws)
        ws.send = ((data: string) => {
          sent.push(JSON.parse(data) as AdminCall)
          send(data)
        }) as typeof ws.send
        return ws as unknown as SocketLike
      },
      saveText: async (name) => name,
    })
    open.push({ close: () => web.connection.close() })
    return { web, sent, sockets }
  }

  const stateIs = (web: WebBridge, state: AdminConnectionState['state']) =>
    web.connection.current().state === state
      ? Promise.resolve(web.connection.current())
      : nextEvent(web.connection.onChange, (s) => s.state === state, { what: `state ${state}` })

  test('has one function per contract operation and carries calls as {seq, op, args}', async () => {
    const tool = await TestClient.connect(`${bridge.url}/ws?client=lab-script`)
    const { clientId } = await tool.nextMessage('hello')
    open.push({ close: () => tool.close() })
    const { web, sent } = connect()
    assert.equal(web.kind, 'web')
    for (const op of Object.keys(invokeChannels))
      assert.equal(typeof web[op as keyof typeof invokeChannels], 'function', op)

    const request = { port: 'sim', data: '*IDN?', format: 'text', terminator: '\n' } as const
    await Promise.all([web.setClientReadOnly(clientId, true), web.sendToPort(request)])
    assert.equal(bridge.engine.listClients().find((c) => c.id === clientId)?.readOnly, true)
    assert.ok(bridge.engine.listPorts()[0]!.metrics.framesOut >= 1, 'the command was written')
    // The engine's refusal is a result; the channel's own refusal of an argument rejects.
    const nope = await web.openPort('nope')
    assert.match(nope.ok ? '' : nope.errors.join('; '), /nope/)
    await assert.rejects(web.openPort(''), /^Error: .*an id is required/)
    assert.deepEqual(
      sent.map((c) => [c.seq, c.op, c.args]),
      [
        [1, 'setClientReadOnly', [clientId, true]],
        [2, 'sendToPort', [request]],
        [3, 'openPort', ['nope']],
        [4, 'openPort', ['']],
      ],
    )
    assert.equal(await web.saveText('log.txt', 'x'), 'log.txt', 'saveText stays local')
    assert.equal(sent.length, 4)
  })

  test('delivers events to on… listeners and decodes frame batches to bytes', async () => {
    const { web } = connect()
    await stateIs(web, 'open')
    const ports: PortInfo[] = []
    const off = web.onPort(({ port }) => ports.push(port))
    const rx = nextEvent<FrameBatch>(web.onFrames, (b) =>
      b.frames.some((f) => f.direction === 'rx'),
    )
    const tx = nextEvent<FrameBatch>(web.onFrames, (b) =>
      b.frames.some((f) => f.direction === 'tx'),
    )
    await web.sendToPort({ port: 'sim', data: 'PING', format: 'text', terminator: '\n' })
    const rxFrame = (await rx).frames.find((f) => f.direction === 'rx')!
    assert.ok(rxFrame.data instanceof Uint8Array)
    assert.match(new TextDecoder().decode(rxFrame.data), /^T=\d+\.\d\d,RH=\d+\.\d|^PING/)
    const batch = await tx
    assert.equal(batch.dropped, 0)
    const txFrame = batch.frames.find((f) => f.direction === 'tx')!
    assert.equal(new TextDecoder().decode(txFrame.data), 'PING\n')

    assert.ok((await web.closePort('sim')).ok)
    await waitFor(() => ports.some((p) => p.id === 'sim' && p.state === 'closed'), {
      what: 'the port event of the close',
    })
    off()
    const seen = ports.length
    // One socket keeps order: once a later listener sees the reopen, the first one would have.
    const reopened = nextEvent(web.onPort, (e) => e.port.state === 'open')
    await web.openPort('sim')
    await reopened
    assert.equal(ports.length, seen, 'no events after unsubscribe')
  })

  test('reconnects after a drop: calls in flight fail, calls made meanwhile go through', async () => {
    const { web, sockets } = connect()
    await stateIs(web, 'open')
    const inFlight = web.listPorts()
    const reconnecting = stateIs(web, 'reconnecting')
    // Dropped before the answer can come back.
    sockets[0]!.terminate()
    const state = await reconnecting
    assert.equal(
      state.state === 'reconnecting' && state.reason,
      'the admin connection was refused or lost',
    )
    await assert.rejects(inFlight, /Lost the connection to Serial Bridge before "listPorts"/)

    const later = web.listPorts()
    await stateIs(web, 'open')
    assert.deepEqual(
      (await later).map((p) => p.id),
      ['sim'],
    )
    assert.equal(sockets.length, 2)
  })

  test('a refused connection keeps retrying with a growing delay until closed', async () => {
    // A page from another origin: the admin channel answers 403 to every attempt.
    const { web } = connect({ origin: 'http://evil.example', backoff: { firstMs: 10, maxMs: 40 } })
    const seen: AdminConnectionState[] = []
    web.connection.onChange((s) => seen.push(s))
    const pending = web.getServerStatus()
    await waitFor(
      () => seen.filter((s) => s.state === 'reconnecting' && s.retryInMs > 0).length >= 4,
      { what: 'four retries' },
    )
    const delays = seen.flatMap((s) =>
      s.state === 'reconnecting' && s.retryInMs > 0 ? [s.retryInMs] : [],
    )
    assert.deepEqual(delays.slice(0, 4), [10, 20, 40, 40])
    web.connection.close()
    assert.equal(web.connection.current().state, 'closed')
    await assert.rejects(pending, /The admin connection is closed/)
    await assert.rejects(web.listPorts(), /The admin connection is closed/)
  })
})
