import assert from 'node:assert/strict'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, test } from 'node:test'
import { WebSocket, WebSocketServer } from 'ws'
import type { AdminCall, AdminMessage } from '../../common/admin-wire'
import { invokeChannels, type FrameBatch } from '../../common/contract'
import type { PortInfo } from '../../common/engine-api'
import {
  createWebBridge,
  type AdminConnectionState,
  type SocketLike,
  type WebBridge,
} from '../../renderer/src/bridge/web-bridge'
import { nextEvent, waitFor } from '../helpers/wait'

/**
 * The web bridge against a real `ws` server on port 0 that speaks the admin wire format
 * (common/admin-wire.ts), the way headless mode's /admin endpoint does.
 */
interface AdminServer {
  url: string
  calls: AdminCall[]
  sockets: WebSocket[]
  /** Answers a call; return undefined to leave it unanswered. */
  answer: (call: AdminCall) => AdminMessage | undefined
  send(message: AdminMessage): void
  close(): Promise<void>
}

const open: Array<{ close(): Promise<void> | void }> = []
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close()
})

async function startAdminServer(
  options: { token?: string; refuse?: boolean } = {},
): Promise<AdminServer> {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (info, done) => {
      const url = new URL(info.req.url ?? '/', 'http://x')
      const ok =
        !options.refuse &&
        url.pathname === '/admin' &&
        (!options.token || url.searchParams.get('adminToken') === options.token)
      done(ok, 401, 'Unauthorized')
    },
  })
  await once(wss, 'listening')
  const server: AdminServer = {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/admin${
      options.token ? `?adminToken=${options.token}` : ''
    }`,
    calls: [],
    sockets: [],
    answer: (call) => ({ kind: 'result', seq: call.seq, ok: true, value: null }),
    send(message) {
      for (const ws of server.sockets)
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message))
    },
    async close() {
      for (const ws of wss.clients) ws.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    },
  }
  wss.on('connection', (ws) => {
    server.sockets.push(ws)
    ws.send(JSON.stringify({ kind: 'ready' } satisfies AdminMessage))
    ws.on('message', (data) => {
      const call = JSON.parse(String(data)) as AdminCall
      server.calls.push(call)
      const reply = server.answer(call)
      if (reply) ws.send(JSON.stringify(reply))
    })
  })
  open.push(server)
  return server
}

function connect(url: string, backoff = { firstMs: 20, maxMs: 80 }): WebBridge {
  const bridge = createWebBridge({
    url,
    backoff,
    createSocket: (u) => new WebSocket(u) as unknown as SocketLike,
    saveText: async (name) => name,
  })
  open.push({ close: () => bridge.connection.close() })
  return bridge
}

const stateIs = (bridge: WebBridge, state: AdminConnectionState['state']) =>
  bridge.connection.current().state === state
    ? Promise.resolve(bridge.connection.current())
    : nextEvent(bridge.connection.onChange, (s) => s.state === state, { what: `state ${state}` })

describe('web bridge', () => {
  test('has one function per contract operation and carries calls as {seq, op, args}', async () => {
    const server = await startAdminServer({ token: 'admin-token-0123456789' })
    server.answer = (call) =>
      call.op === 'openPort'
        ? { kind: 'result', seq: call.seq, ok: false, error: 'COM3 is in use by another program.' }
        : { kind: 'result', seq: call.seq, ok: true, value: { echo: call.args } }
    const bridge = connect(server.url)
    assert.equal(bridge.kind, 'web')
    for (const op of Object.keys(invokeChannels))
      assert.equal(typeof bridge[op as keyof typeof invokeChannels], 'function', op)

    const [a, b] = await Promise.all([
      bridge.setClientReadOnly('c1', true),
      bridge.sendToPort({ port: 'p', data: 'x', format: 'text', terminator: '\n' }),
    ])
    assert.deepEqual(a, { echo: ['c1', true] })
    assert.deepEqual(b, { echo: [{ port: 'p', data: 'x', format: 'text', terminator: '\n' }] })
    await assert.rejects(bridge.openPort('COM3'), /^Error: COM3 is in use by another program\.$/)
    assert.deepEqual(
      server.calls.map((c) => [c.op, c.seq]),
      [
        ['setClientReadOnly', 1],
        ['sendToPort', 2],
        ['openPort', 3],
      ],
    )
    assert.equal(await bridge.saveText('log.txt', 'x'), 'log.txt', 'saveText stays local')
    assert.equal(server.calls.length, 3)
  })

  test('delivers events to on… listeners and decodes frame batches to bytes', async () => {
    const server = await startAdminServer()
    const bridge = connect(server.url)
    await stateIs(bridge, 'open')
    const ports: PortInfo[] = []
    const off = bridge.onPort(({ port }) => ports.push(port))
    const batch = nextEvent<FrameBatch>(bridge.onFrames)
    const port = { id: 'sim-demo', state: 'open' } as PortInfo

    server.send({ kind: 'event', event: 'port', payload: { port } })
    server.send({
      kind: 'frames',
      frames: [
        {
          port: 'sim-demo',
          direction: 'rx',
          ts: 1,
          data: Buffer.from('T=21.5\r\n').toString('base64'),
        },
        {
          port: 'sim-demo',
          direction: 'tx',
          ts: 2,
          data: Buffer.from([0, 255]).toString('base64'),
        },
      ],
      dropped: 4,
    })
    const { frames, dropped } = await batch
    assert.equal(dropped, 4)
    assert.ok(frames[0]!.data instanceof Uint8Array)
    assert.equal(new TextDecoder().decode(frames[0]!.data), 'T=21.5\r\n')
    assert.deepEqual([...frames[1]!.data], [0, 255])
    assert.equal(frames[1]!.direction, 'tx')
    assert.deepEqual(ports, [port])

    off()
    // One socket keeps order: once the later event arrives, the port event has been handled.
    const later = nextEvent(bridge.onServer)
    server.send({ kind: 'event', event: 'port', payload: { port } })
    server.send({ kind: 'event', event: 'server', payload: { state: 'listening', url: null } })
    await later
    assert.equal(ports.length, 1, 'no events after unsubscribe')
  })

  test('reconnects after a drop: calls in flight fail, calls made meanwhile go through', async () => {
    const server = await startAdminServer()
    const bridge = connect(server.url)
    await stateIs(bridge, 'open')
    server.answer = (call) =>
      call.op === 'listPorts' ? undefined : { kind: 'result', seq: call.seq, ok: true, value: 7 }

    const inFlight = bridge.listPorts()
    await waitFor(() => server.calls.length === 1, { what: 'the call at the server' })
    const reconnecting = stateIs(bridge, 'reconnecting')
    server.sockets[0]!.terminate()
    const state = await reconnecting
    assert.equal(
      state.state === 'reconnecting' && state.reason,
      'the admin connection was refused or lost',
    )
    await assert.rejects(inFlight, /Lost the connection to Serial Bridge before "listPorts"/)

    const later = bridge.listClients()
    await stateIs(bridge, 'open')
    assert.equal(await later, 7)
    assert.equal(server.sockets.length, 2)
  })

  test('a refused connection keeps retrying with a growing delay until closed', async () => {
    const server = await startAdminServer({ refuse: true })
    const bridge = connect(server.url, { firstMs: 10, maxMs: 40 })
    const seen: AdminConnectionState[] = []
    bridge.connection.onChange((s) => seen.push(s))
    const pending = bridge.getServerStatus()
    await waitFor(
      () => seen.filter((s) => s.state === 'reconnecting' && s.retryInMs > 0).length >= 4,
      { what: 'four retries' },
    )
    const delays = seen.flatMap((s) =>
      s.state === 'reconnecting' && s.retryInMs > 0 ? [s.retryInMs] : [],
    )
    assert.deepEqual(delays.slice(0, 4), [10, 20, 40, 40])
    bridge.connection.close()
    assert.equal(bridge.connection.current().state, 'closed')
    await assert.rejects(pending, /The admin connection is closed/)
    await assert.rejects(bridge.listPorts(), /The admin connection is closed/)
  })
})
