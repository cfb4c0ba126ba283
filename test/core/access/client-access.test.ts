import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ClientInfo, RefusedConnection } from '../../../common/engine-api'
import type { Settings } from '../../../common/settings-schema'
import { validateSettings } from '../../../common/validation'
import { createBridgeOperations, type BridgeHost } from '../../../main/admin/bridge-operations'
import { defaultAppPreferences } from '../../../main/admin/operation-args'
import { startEngine } from '../../helpers/engine-fixture'
import { nextEvent, waitFor } from '../../helpers/wait'
import { TestClient } from '../../helpers/ws-client'

const host: BridgeHost = {
  getPreferences: defaultAppPreferences,
  setPreferences: defaultAppPreferences,
  saveText: async () => null,
}

const SIM = { id: 'sim', path: 'sim:demo' }

/** A real engine with the simulated port open, and the contract's operations over it. */
async function bridgeWith(input: Parameters<typeof startEngine>[0] = {}, now?: () => number) {
  const bridge = await startEngine({ ports: [SIM], ...input }, now ? { now } : {})
  await waitFor(() => bridge.engine.listPorts()[0]?.state === 'open', { what: 'sim open' })
  return { ...bridge, ops: createBridgeOperations(bridge.engine, host) }
}

const clientNamed = (list: ClientInfo[], name: string) => list.find((c) => c.name === name)

/** A write on /ws: resolves with the answer's type and code. */
async function tryWrite(client: TestClient, id: number): Promise<string> {
  const from = client.received.length
  client.send({ type: 'write', port: 'sim', data: 'X', id })
  const answer = await client.next(
    (r) => {
      const m = JSON.parse(r.data) as { type: string; id?: number; code?: string }
      return m.id === id ? (m.code ?? m.type) : undefined
    },
    { from, what: `the answer to write ${id}` },
  )
  return answer
}

function assertOk<T>(r: { ok: true; value: T } | { ok: false; errors: string[] }): T {
  assert.ok(r.ok, r.ok ? '' : r.errors.join('; '))
  return r.value
}

describe('?client=NAME', () => {
  test('a tool names itself on either endpoint; the name is in Clients', async () => {
    const bridge = await bridgeWith()
    try {
      const control = await TestClient.connect(`${bridge.url}/ws?client=lab-script`)
      const hello = await control.nextMessage('hello')
      assert.equal(hello.readOnly, false)
      const stream = await TestClient.connect(`${bridge.url}/ports/sim?format=json&client=Logger.2`)
      const anonymous = await TestClient.connect(`${bridge.url}/ws`)
      const list = await waitFor(() => {
        const l = bridge.engine.listClients()
        return l.length === 3 && l
      })
      assert.equal(clientNamed(list, 'lab-script')?.endpoint, '/ws')
      assert.equal(clientNamed(list, 'Logger.2')?.endpoint, '/ports/sim')
      assert.equal(list.filter((c) => c.name === null).length, 1)
      await Promise.all([control.close(), stream.close(), anonymous.close()])
    } finally {
      await bridge.stop()
    }
  })

  test('a bad name is refused with 400 before the WebSocket opens, and recorded', async () => {
    const bridge = await bridgeWith()
    try {
      const bad = ['has%20space', '', 'x'.repeat(65), 'caf%C3%A9', 'a/b']
      for (const name of bad) {
        const refused = await TestClient.refusedWith(`${bridge.url}/ws?client=${name}`)
        assert.equal(refused.status, 400, name)
        assert.match(refused.body, /\?client= must be a name of letters, digits and \. _ ~ -/)
      }
      const twice = await TestClient.refusedWith(`${bridge.url}/ports/sim?client=a&client=b`)
      assert.deepEqual(twice, { status: 400, body: 'give ?client= once\n' })
      const last = bridge.engine.listRefused().at(-1)
      assert.equal(last?.reason, 'client-name')
      assert.equal(last?.endpoint, '/ports/sim')
      assert.equal(bridge.engine.listClients().length, 0)
    } finally {
      await bridge.stop()
    }
  })
})

describe('client rules', () => {
  test('a read-only rule flips a connected tool at once and holds on reconnect', async () => {
    const bridge = await bridgeWith()
    try {
      const tool = await TestClient.connect(`${bridge.url}/ws?client=lab-script`)
      const other = await TestClient.connect(`${bridge.url}/ws?client=other`)
      await tool.nextMessage('hello')
      assert.equal(await tryWrite(tool, 1), 'ack')
      assertOk(
        await bridge.ops.addClientRule({
          match: { name: 'lab-script' },
          action: 'readOnly',
          seconds: null,
        }),
      )
      assert.equal(await tryWrite(tool, 2), 'FORBIDDEN')
      assert.equal(await tryWrite(other, 3), 'ack', 'another name is not affected')
      assert.deepEqual(clientNamed(bridge.engine.listClients(), 'lab-script')?.readOnlyBy, ['rule'])
      await tool.close()

      // The same tool, back a second later, with its name in another case: still read-only.
      const back = await TestClient.connect(`${bridge.url}/ws?client=LAB-SCRIPT`)
      assert.equal((await back.nextMessage('hello')).readOnly, true)
      assert.equal(await tryWrite(back, 4), 'FORBIDDEN')
      back.send({ type: 'query', port: 'sim', data: '*IDN?', id: 5 })
      assert.equal((await back.nextMessage('error', (m) => m.id === 5)).code, 'FORBIDDEN')
      back.send({ type: 'subscribe', ports: ['sim'], id: 6 })
      await back.nextMessage('data', (m) => m.port === 'sim')
      // The operator's tick cannot undo a rule, and says why.
      const id = clientNamed(bridge.engine.listClients(), 'LAB-SCRIPT')!.id
      const untick = bridge.engine.setClientReadOnly(id, false)
      assert.equal(untick.ok, false)
      assert.match(untick.ok ? '' : untick.errors[0]!, /stays read-only: a read-only rule/)

      assertOk(await bridge.ops.removeClientRule({ name: 'lab-script' }, 'readOnly'))
      assert.equal(await tryWrite(back, 7), 'ack', 'removing the rule lets it write at once')
      await Promise.all([back.close(), other.close()])
    } finally {
      await bridge.stop()
    }
  })

  test('a block refuses the upgrade with 403 and is listed as refused', async () => {
    const bridge = await bridgeWith({
      server: {
        clientRules: [{ match: { name: 'noisy' }, action: 'block' }],
      },
    })
    try {
      const refusedEvent = nextEvent<RefusedConnection>((l) => bridge.engine.on('refused', l))
      for (const path of ['/ws?client=noisy', '/ports/sim?client=Noisy']) {
        const refused = await TestClient.refusedWith(bridge.url + path)
        assert.equal(refused.status, 403, path)
        assert.equal(
          refused.body,
          'Blocked by the operator (client name "noisy"), until the operator allows it again\n',
        )
      }
      const first = await refusedEvent
      assert.equal(first.reason, 'blocked')
      assert.equal(first.status, 403)
      assert.equal(bridge.engine.listRefused().length, 2)
      // Another name is let in.
      const open = await TestClient.connect(`${bridge.url}/ws?client=quiet`)
      await open.close()
    } finally {
      await bridge.stop()
    }
  })

  test('a block added while connected closes exactly the matching clients with 1008', async () => {
    const page = 'http://dashboard.lab:3000'
    const bridge = await bridgeWith({ server: { allowedOrigins: [page] } })
    try {
      const noisy = await TestClient.connect(`${bridge.url}/ports/sim?client=noisy`)
      const dashboard = await TestClient.connect(`${bridge.url}/ws`, { origin: page + '/' })
      const kept = await TestClient.connect(`${bridge.url}/ws?client=kept`)
      await kept.nextMessage('hello')
      assertOk(
        await bridge.ops.addClientRule({ match: { name: 'noisy' }, action: 'block', seconds: 600 }),
      )
      assert.deepEqual(await noisy.closed, { code: 1008, reason: 'blocked by the operator' })
      assertOk(
        await bridge.ops.addClientRule({
          match: { origin: 'HTTP://dashboard.lab:3000' },
          action: 'block',
          seconds: null,
        }),
      )
      assert.deepEqual(await dashboard.closed, { code: 1008, reason: 'blocked by the operator' })
      const refused = await TestClient.refusedWith(`${bridge.url}/ws`, { origin: page })
      assert.equal(refused.status, 403)
      assert.match(refused.body, /origin "HTTP:\/\/dashboard\.lab:3000"/)
      const until = bridge.engine.getSettings().server.clientRules[0]!.until!
      const inTenMinutes = Date.parse(until) - Date.now()
      assert.ok(inTenMinutes > 590_000 && inTenMinutes <= 600_000, until)
      kept.send({ type: 'ping', id: 1 })
      await kept.nextMessage('pong')
      await kept.close()
    } finally {
      await bridge.stop()
    }
  })

  test('an expired block stops applying and stays in the settings', async () => {
    let clock = Date.parse('2026-11-20T10:00:00.000Z')
    const bridge = await bridgeWith(
      {
        server: {
          clientRules: [
            { match: { name: 'noisy' }, action: 'block', until: '2026-11-20T10:10:00.000Z' },
          ],
        },
      },
      () => clock,
    )
    try {
      const refused = await TestClient.refusedWith(`${bridge.url}/ws?client=noisy`)
      assert.equal(refused.status, 403)
      assert.match(refused.body, /until 2026-11-20T10:10:00\.000Z/)
      clock = Date.parse('2026-11-20T10:10:00.001Z')
      const back = await TestClient.connect(`${bridge.url}/ws?client=noisy`)
      await back.nextMessage('hello')
      assert.equal(bridge.engine.getSettings().server.clientRules.length, 1)
      await back.close()
    } finally {
      await bridge.stop()
    }
  })

  test('a timed read-only rule lets its connected clients write again when it expires', async () => {
    const bridge = await bridgeWith()
    try {
      const tool = await TestClient.connect(`${bridge.url}/ws?client=lab-script`)
      await tool.nextMessage('hello')
      assertOk(
        await bridge.ops.addClientRule({
          match: { name: 'lab-script' },
          action: 'readOnly',
          seconds: 1,
        }),
      )
      assert.equal(await tryWrite(tool, 1), 'FORBIDDEN')
      const changed = await nextEvent<ClientInfo[]>(
        (l) => bridge.engine.on('clients', l),
        (list) => clientNamed(list, 'lab-script')?.readOnly === false,
        { what: 'the rule to expire', timeoutMs: 15_000 },
      )
      assert.deepEqual(clientNamed(changed, 'lab-script')?.readOnlyBy, [])
      assert.equal(await tryWrite(tool, 2), 'ack')
      await tool.close()
    } finally {
      await bridge.stop()
    }
  })
})

describe('read-only tokens', () => {
  const MAIN = 'main-token-0123456789'
  const DASH = 'dashboard-token-0123456789'
  const FULL = 'full-tool-token-0123456789'
  const tokens = [
    { token: DASH, name: 'dashboard', readOnly: true },
    { token: FULL, name: 'robot', readOnly: false },
  ]

  test('a read-only token admits; writes and queries get FORBIDDEN, reads work', async () => {
    const bridge = await bridgeWith({ server: { token: MAIN, tokens } })
    try {
      assert.equal(await TestClient.refusal(`${bridge.url}/ws`), 401)
      assert.equal(await TestClient.refusal(`${bridge.url}/ws?token=dashboard-token`), 401)
      const dash = await TestClient.connect(`${bridge.url}/ws?token=${DASH}&client=wall`)
      assert.equal((await dash.nextMessage('hello')).readOnly, true)
      assert.equal(await tryWrite(dash, 1), 'FORBIDDEN')
      dash.send({ type: 'query', port: 'sim', data: '*IDN?', id: 2 })
      assert.equal((await dash.nextMessage('error', (m) => m.id === 2)).code, 'FORBIDDEN')
      dash.send({ type: 'subscribe', ports: ['sim'], id: 3 })
      await dash.nextMessage('data', (m) => m.port === 'sim')

      const stream = await TestClient.connect(`${bridge.url}/ports/sim?format=json`, {
        headers: { authorization: `Bearer ${DASH}` },
      })
      stream.send('X')
      assert.equal((await stream.nextMessage('error')).code, 'FORBIDDEN')
      await stream.nextMessage('data')

      const robot = await TestClient.connect(`${bridge.url}/ws?token=${FULL}`)
      assert.equal(await tryWrite(robot, 4), 'ack')
      const main = await TestClient.connect(`${bridge.url}/ws?token=${MAIN}`)
      assert.equal(await tryWrite(main, 5), 'ack')

      const list = bridge.engine.listClients()
      const wall = clientNamed(list, 'wall')!
      assert.equal(wall.tokenName, 'dashboard')
      assert.deepEqual(wall.readOnlyBy, ['token'])
      assert.deepEqual(
        list.map((c) => c.tokenName).sort(),
        ['dashboard', 'dashboard', 'robot', null].sort(),
      )
      const untick = bridge.engine.setClientReadOnly(wall.id, false)
      assert.match(untick.ok ? '' : untick.errors[0]!, /the read-only token "dashboard"/)
      await Promise.all([dash.close(), stream.close(), robot.close(), main.close()])
    } finally {
      await bridge.stop()
    }
  })

  test('changing the tokens disconnects exactly the clients that no longer qualify', async () => {
    const bridge = await bridgeWith({ server: { token: MAIN, tokens } })
    try {
      const main = await TestClient.connect(`${bridge.url}/ws?token=${MAIN}`)
      const dash = await TestClient.connect(`${bridge.url}/ports/sim?token=${DASH}`)
      const robot = await TestClient.connect(`${bridge.url}/ws?token=${FULL}&client=robot-arm`)
      await robot.nextMessage('hello')
      // The dashboard's token is removed; the robot's becomes read-only.
      assertOk(
        await bridge.engine.updateServerSettings({
          tokens: [{ token: FULL, name: 'robot', readOnly: true }],
        }),
      )
      assert.deepEqual(await dash.closed, { code: 1008, reason: 'token no longer valid' })
      assert.equal(await tryWrite(robot, 1), 'FORBIDDEN')
      assert.equal(await tryWrite(main, 2), 'ack')

      // A new main token: its old holder goes, the robot stays.
      assertOk(await bridge.engine.updateServerSettings({ token: 'new-main-token-0123456789' }))
      assert.deepEqual(await main.closed, { code: 1008, reason: 'token no longer valid' })
      robot.send({ type: 'ping', id: 3 })
      await robot.nextMessage('pong', (m) => m.id === 3)
      assert.deepEqual(
        bridge.engine.listClients().map((c) => c.name),
        ['robot-arm'],
      )
      await robot.close()
    } finally {
      await bridge.stop()
    }
  })

  test('adding the first token disconnects the clients that came without one', async () => {
    const bridge = await bridgeWith()
    try {
      const before = await TestClient.connect(`${bridge.url}/ws`)
      const early = await TestClient.connect(`${bridge.url}/ws?token=${DASH}`)
      await early.nextMessage('hello')
      assertOk(await bridge.engine.updateServerSettings({ tokens: [tokens[0]!] }))
      assert.deepEqual(await before.closed, { code: 1008, reason: 'token no longer valid' })
      await waitFor(() => bridge.engine.listClients()[0]?.readOnly, { what: 'early read-only' })
      assert.equal(bridge.engine.listClients().length, 1)
      await early.close()
    } finally {
      await bridge.stop()
    }
  })
})

describe('settings of tokens and rules', () => {
  const errorsOf = async (server: Partial<Settings['server']>): Promise<string[]> => {
    const bridge = await startEngine()
    try {
      const r = await bridge.engine.updateServerSettings(server)
      assert.equal(r.ok, false, 'expected the settings to be refused')
      assert.equal(bridge.engine.getSettings().server.tokens.length, 0, 'nothing applied')
      return r.ok ? [] : r.errors
    } finally {
      await bridge.stop()
    }
  }
  const rule = (r: object) => r as Settings['server']['clientRules'][number]
  const token = (t: object) => t as Settings['server']['tokens'][number]

  test('each wrong entry is named by its field, and no token appears in a message', async () => {
    const secret = 'same-token-0123456789'
    const errors = await errorsOf({
      token: secret,
      tokens: [
        token({ token: 'short', name: 'a' }),
        token({ token: secret, name: 'b' }),
        token({ token: 'other-token-0123456789', name: 'A' }),
        token({ token: 'other-token-0123456789', name: 'c' }),
        token({ token: 'third-token-0123456789', name: ' ' }),
      ],
      clientRules: [
        rule({ match: { name: 'has space' }, action: 'block' }),
        rule({ match: {}, action: 'readOnly' }),
        rule({ match: { name: 'ok' }, action: 'deny' }),
        rule({ match: { name: 'ok' }, action: 'block', until: 'tomorrow' }),
      ],
    })
    const expected = [
      /^server\.tokens\[0\]\.token: token must be at least 8 characters$/,
      /^server\.tokens\[4\]\.name: name is required/,
      /^server\.clientRules\[0\]\.match\.name: a client name uses letters, digits/,
      /^server\.clientRules\[1\]\.match: match is \{"name": "\.\.\."\}/,
      /^server\.clientRules\[2\]\.action: /,
      /^server\.clientRules\[3\]\.until: until is an ISO date and time/,
    ]
    for (const pattern of expected)
      assert.ok(
        errors.some((e) => pattern.test(e)),
        `${pattern}\nin ${errors.join('\n')}`,
      )
    for (const e of errors) assert.ok(!e.includes(secret) && !e.includes('other-token'), e)
  })

  test('duplicates are named: the same token, a token name twice, a rule twice', async () => {
    const secret = 'same-token-0123456789'
    const errors = await errorsOf({
      token: secret,
      tokens: [
        token({ token: secret, name: 'b' }),
        token({ token: 'other-token-0123456789', name: 'Dash' }),
        token({ token: 'other-token-0123456789', name: 'dash' }),
      ],
      clientRules: [
        rule({ match: { name: 'tool' }, action: 'block' }),
        rule({ match: { name: 'TOOL' }, action: 'block', until: '2030-01-01T00:00:00Z' }),
        rule({ match: { name: 'tool' }, action: 'readOnly' }),
        rule({ match: { origin: 'http://a.lab/' }, action: 'block' }),
        rule({ match: { origin: 'http://A.lab' }, action: 'block' }),
      ],
    })
    assert.deepEqual(errors.sort(), [
      'server.clientRules[1]: the same match and action as server.clientRules[0]: keep one of them',
      'server.clientRules[4]: the same match and action as server.clientRules[3]: keep one of them',
      'server.tokens[0].token: the same token as server.token',
      'server.tokens[2].name: duplicate name "dash" (also server.tokens[1])',
      'server.tokens[2].token: the same token as server.tokens[1]',
    ])
  })

  test('the lab network accepts either kind of token', async () => {
    const bridge = await startEngine()
    try {
      const none = await bridge.engine.updateServerSettings({ host: '0.0.0.0' })
      assert.match(
        none.ok ? '' : none.errors.join(),
        /^server\.token: a token is required.*server\.tokens/,
      )
      const withReadOnly = validateSettings({
        server: { host: '0.0.0.0', tokens: [{ token: 'dashboard-token-0123', name: 'wall' }] },
      })
      assert.ok(withReadOnly.ok, withReadOnly.ok ? '' : withReadOnly.errors.join())
      assert.equal(withReadOnly.value.server.tokens[0]!.readOnly, true, 'read-only by default')
    } finally {
      await bridge.stop()
    }
  })
})
