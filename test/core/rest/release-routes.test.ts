import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { releasedAnswerSchema } from '../../../common/rest/release-schemas'
import { ControlClients } from '../../helpers/control-clients'
import { assertRestError, jsonBody, restClient } from '../../helpers/rest-client'
import { startScriptedBridge, type ScriptedBridge } from '../../helpers/scripted-bridge'

const TOKEN = 'release-token-1234'
const VIEWER = 'release-viewer-123'

/** The release capability's REST route, through a real engine on a pty. */
describe('REST API: release (feature release)', () => {
  let rig: ScriptedBridge
  let api: ReturnType<typeof restClient>
  const clients = new ControlClients(() => rig.bridge.url)
  const call = (path: string, init: RequestInit = {}, token = TOKEN) =>
    api(path, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } })
  const state = () => rig.bridge.engine.listPorts()[0]!.state

  before(async () => {
    rig = await startScriptedBridge(
      'rest-release',
      { id: 'meter', baudRate: 115200 },
      (line) => (line === '*IDN?' ? 'ACME,1' : undefined),
      { server: { token: TOKEN, tokens: [{ token: VIEWER, name: 'viewer', readOnly: true }] } },
    )
    api = restClient(rig.bridge.url)
  })
  after(async () => {
    await clients.closeAll()
    await rig?.stop()
  })

  test('{"seconds": 1}: released with until, clients are told; it opens by itself', async () => {
    const watcher = await clients.connect(`/ws?token=${TOKEN}`)
    watcher.send({ type: 'subscribe', ports: ['meter'] })
    await watcher.nextMessage('subscribed')
    const asked = Date.now()
    const answer = await call('/ports/meter/release?client=flasher', jsonBody({ seconds: 1 }))
    assert.equal(answer.status, 200, answer.text)
    const released = releasedAnswerSchema.parse(answer.body)
    assert.equal(released.port, 'meter')
    const until = Date.parse(released.until ?? '')
    assert.ok(until >= asked + 1000 && until <= Date.now() + 1000, released.until ?? 'null')
    const status = await watcher.nextMessage('status', (m) => m.state === 'released')
    assert.equal(status.until, released.until)
    await watcher.nextMessage('status', (m) => m.state === 'open', { timeoutMs: 10_000 })
    assert.ok(Date.now() >= until, 'not before its time')
    const query = await call('/ports/meter/query', { method: 'POST', body: '*IDN?' })
    assert.equal((query.body as { data: string }).data, 'ACME,1')
  })

  test('{"seconds": null} (or no seconds): released until opened; a query meanwhile is 409', async () => {
    for (const body of [{ seconds: null }, {}]) {
      const answer = await call('/ports/meter/release', jsonBody(body))
      assert.equal(answer.status, 200, answer.text)
      assert.deepEqual(releasedAnswerSchema.parse(answer.body), { port: 'meter', until: null })
      assert.equal(state(), 'released')
      assertRestError(
        await call('/ports/meter/query', { method: 'POST', body: '*IDN?' }),
        409,
        'PORT_NOT_OPEN',
        /^port "meter" is released, not open/,
      )
      assert.ok((await rig.bridge.engine.openPort('meter')).ok)
      assert.equal(state(), 'open')
    }
  })

  test('the release message’s rules: fields named, read-only 403, unknown 404, a closed port 409', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ seconds: 0 }, /^seconds: /],
      [{ seconds: 1.5 }, /^seconds: /],
      [{ seconds: 86_401 }, /^seconds: /],
      [{ seconds: '60' }, /^seconds: /],
      [{ seconds: 60, port: 'meter' }, /^port: unknown field/],
    ]
    for (const [body, message] of cases) {
      assertRestError(
        await call('/ports/meter/release', jsonBody(body)),
        400,
        'BAD_MESSAGE',
        message,
      )
    }
    assertRestError(
      await call('/ports/meter/release', { method: 'POST', body: '60' }),
      400,
      'BAD_MESSAGE',
      /send JSON/,
    )
    assertRestError(
      await call('/ports/nope/release', jsonBody({ seconds: 60 })),
      404,
      'UNKNOWN_PORT',
      /^unknown port: nope$/,
    )
    assertRestError(
      await call('/ports/meter/release', jsonBody({ seconds: 60 }), VIEWER),
      403,
      'FORBIDDEN',
      /^this client is read-only$/,
    )
    assert.equal(state(), 'open')
    // A port the operator closed stays closed: released, it would open at the end.
    assert.ok((await rig.bridge.engine.closePort('meter')).ok)
    assertRestError(
      await call('/ports/meter/release', jsonBody({ seconds: 60 })),
      409,
      'PORT_NOT_OPEN',
      /^port "meter" is closed, not open: open it first$/,
    )
    assert.equal(state(), 'closed')
    assert.ok((await rig.bridge.engine.openPort('meter')).ok)
  })
})
