import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  pollStartedAnswerSchema,
  pollStoppedAnswerSchema,
  pollsAnswerSchema,
} from '../../../common/rest/poll-schemas'
import type { PollInfo } from '../../../common/protocol'
import { ControlClients } from '../../helpers/control-clients'
import { assertRestError, jsonBody, restClient } from '../../helpers/rest-client'
import { startScriptedBridge, type ScriptedBridge } from '../../helpers/scripted-bridge'
import { waitFor } from '../../helpers/wait'

const TOKEN = 'polls-token-12345'
const VIEWER = 'polls-viewer-1234'

/** The polls capability's REST routes, through a real engine and a scripted instrument on a pty. */
describe('REST API: polls (feature polls)', () => {
  let rig: ScriptedBridge
  let api: ReturnType<typeof restClient>
  const clients = new ControlClients(() => rig.bridge.url)
  const as = (token: string) => ({ authorization: `Bearer ${token}` })
  const call = (path: string, init: RequestInit = {}, token = TOKEN) =>
    api(path, { ...init, headers: { ...as(token), ...init.headers } })
  const savedPolls = () => rig.bridge.engine.getSettings().ports[0]!.polls
  const listed = async (): Promise<PollInfo[]> => {
    const answer = await call('/ports/meter/polls')
    assert.equal(answer.status, 200, answer.text)
    return pollsAnswerSchema.parse(answer.body).polls
  }

  before(async () => {
    rig = await startScriptedBridge(
      'rest-polls',
      { id: 'meter', baudRate: 115200 },
      (line, n) => {
        const m = /^([A-Z]+)\?$/.exec(line)
        return m ? `${m[1]}=${n}` : undefined
      },
      { server: { token: TOKEN, tokens: [{ token: VIEWER, name: 'viewer', readOnly: true }] } },
    )
    api = restClient(rig.bridge.url)
  })
  after(async () => {
    await clients.closeAll()
    await rig?.stop()
  })

  test('POST starts a poll saved in the settings; GET lists it with owner and stats; DELETE stops it', async () => {
    const started = await call(
      '/ports/meter/polls',
      jsonBody({ name: 'volt', command: 'V?', intervalMs: 50 }),
    )
    assert.equal(started.status, 200, started.text)
    assert.deepEqual(pollStartedAnswerSchema.parse(started.body), {
      port: 'meter',
      name: 'volt',
      intervalMs: 50,
    })
    assert.deepEqual(savedPolls(), [
      { name: 'volt', command: 'V?', intervalMs: 50, encoding: 'utf8', timeoutMs: 1000 },
    ])
    // A read-only caller may look.
    const seen = pollsAnswerSchema.parse((await call('/ports/meter/polls', {}, VIEWER)).body)
    assert.deepEqual(
      seen.polls.map((p) => [p.name, p.owner]),
      [['volt', 'settings']],
    )
    const running = await waitFor(
      async () => (await listed()).find((p) => p.name === 'volt' && p.stats.answered >= 2),
      { what: 'the poll answered twice, as GET shows it' },
    )
    assert.ok(running.stats.sent >= running.stats.answered)
    assert.ok(running.stats.lastReplyAt !== null && running.stats.lastRoundTripMs !== null)
    assert.ok(rig.meter.commands('V?').length >= 2)

    // Without a name: the first free poll-N, as startPoll names it.
    const unnamed = await call(
      '/ports/meter/polls',
      jsonBody({ command: 'W?', intervalMs: 60_000 }),
    )
    assert.equal(pollStartedAnswerSchema.parse(unnamed.body).name, 'poll-1')

    const stopped = await call('/ports/meter/polls/volt', { method: 'DELETE' })
    assert.equal(stopped.status, 200, stopped.text)
    assert.deepEqual(pollStoppedAnswerSchema.parse(stopped.body), { port: 'meter', name: 'volt' })
    assert.deepEqual(
      savedPolls().map((p) => p.name),
      ['poll-1'],
    )
    assert.deepEqual(
      (await listed()).map((p) => p.name),
      ['poll-1'],
    )
    assert.equal((await call('/ports/meter/polls/poll-1', { method: 'DELETE' })).status, 200)
    assert.deepEqual(savedPolls(), [])
  })

  test("a WebSocket client's poll: listed with its owner, not stopped nor replaced over REST", async () => {
    const owner = await clients.connect(`/ws?token=${TOKEN}`)
    const { clientId: ownerId } = await owner.nextMessage('hello')
    owner.send({ type: 'startPoll', port: 'meter', name: 'own', command: 'O?', intervalMs: 100 })
    await owner.nextMessage('pollStarted')
    assert.deepEqual(
      (await listed()).map((p) => [p.name, p.owner]),
      [['own', ownerId]],
    )
    assertRestError(
      await call('/ports/meter/polls/own', { method: 'DELETE' }),
      403,
      'FORBIDDEN',
      new RegExp(`^poll "own" was started by client ${ownerId}: only it can stop it$`),
    )
    assertRestError(
      await call('/ports/meter/polls', jsonBody({ name: 'own', command: 'X?', intervalMs: 100 })),
      400,
      'BAD_MESSAGE',
      new RegExp(
        `^name: a poll named "own" already runs on port "meter" \\(started by client ${ownerId}\\)$`,
      ),
    )
    assert.deepEqual(savedPolls(), [])
    const still = (await listed()).find((p) => p.name === 'own')
    assert.equal(still?.command, 'O?')
    await owner.close()
    await waitFor(async () => (await listed()).length === 0, { what: "the client's poll to stop" })
  })

  test('bad input names the field, as startPoll does; nothing is saved and nothing runs', async () => {
    const base = { command: 'Z?', intervalMs: 100 }
    const cases: Array<[object, RegExp]> = [
      [{ ...base, intervalMs: 5 }, /^intervalMs: intervalMs must be at least 20 ms$/],
      [{ ...base, intervalMs: 86_400_001 }, /^intervalMs: .*at most 24 h/],
      [{ ...base, expect: '(' }, /^expect: does not compile/],
      [{ ...base, encoding: 'hex', command: '0d0' }, /^command: is not pairs of hex digits/],
      [{ ...base, name: 'no spaces' }, /^name: name may use only/],
      [{ ...base, persist: false }, /^persist: unknown field/],
      [{ intervalMs: 100 }, /^command: /],
    ]
    for (const [body, message] of cases) {
      const answer = await call('/ports/meter/polls', jsonBody(body))
      assertRestError(answer, 400, 'BAD_MESSAGE', message)
    }
    assertRestError(
      await call('/ports/meter/polls', { method: 'POST', body: 'MEAS?' }),
      400,
      'BAD_MESSAGE',
      /send JSON/,
    )
    assertRestError(
      await call('/ports/meter/polls/no%20spaces', { method: 'DELETE' }),
      400,
      'BAD_MESSAGE',
      /^name: name may use only/,
    )
    assertRestError(
      await call('/ports/meter/polls/nope', { method: 'DELETE' }),
      400,
      'BAD_MESSAGE',
      /^name: no poll named "nope" runs on port "meter"$/,
    )
    assert.deepEqual(savedPolls(), [])
    assert.deepEqual(await listed(), [])
    assert.equal(rig.meter.commands('Z?').length, 0)
  })

  test('unknown ports are 404, read-only callers 403; a port with 64 polls is BUSY (503)', async () => {
    assertRestError(await call('/ports/nope/polls'), 404, 'UNKNOWN_PORT', /^unknown port: nope$/)
    assertRestError(
      await call('/ports/nope/polls', jsonBody({ command: 'A?', intervalMs: 100 })),
      404,
      'UNKNOWN_PORT',
    )
    assertRestError(await call('/ports/nope/polls/a', { method: 'DELETE' }), 404, 'UNKNOWN_PORT')
    const body = jsonBody({ name: 'ro', command: 'R?', intervalMs: 100 })
    assertRestError(await call('/ports/meter/polls', body, VIEWER), 403, 'FORBIDDEN', /read-only/)
    assert.equal((await call('/ports/meter/polls', body)).status, 200)
    assertRestError(
      await call('/ports/meter/polls/ro', { method: 'DELETE' }, VIEWER),
      403,
      'FORBIDDEN',
      /read-only/,
    )
    assert.deepEqual(
      savedPolls().map((p) => p.name),
      ['ro'],
    )

    // 64 in the settings (a day apart, so none asks during the test), then one more.
    const full = Array.from({ length: 64 }, (_, i) => ({
      name: `p${i}`,
      command: 'P?',
      intervalMs: 86_400_000,
    }))
    const port = rig.bridge.engine.getSettings().ports[0]!
    assert.ok((await rig.bridge.engine.updatePort('meter', { ...port, polls: full })).ok)
    assertRestError(
      await call(
        '/ports/meter/polls',
        jsonBody({ name: 'one-more', command: 'A?', intervalMs: 100 }),
      ),
      503,
      'BUSY',
      /^64 polls already run on port "meter"$/,
    )
    assert.equal((await listed()).length, 64)
    // Replacing one of them is not one more.
    const replaced = await call(
      '/ports/meter/polls',
      jsonBody({ name: 'p0', command: 'Q?', intervalMs: 86_400_000 }),
    )
    assert.equal(replaced.status, 200, replaced.text)
    assert.equal(savedPolls().find((p) => p.name === 'p0')?.command, 'Q?')
    assert.ok((await rig.bridge.engine.updatePort('meter', { ...port, polls: [] })).ok)
  })
})
