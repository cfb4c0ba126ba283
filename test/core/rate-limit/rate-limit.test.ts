import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { ServerMessage } from '../../../common/protocol'
import { startPtyBridge, type PtyBridge } from '../../helpers/pty-bridge'
import { restClient } from '../../helpers/rest-client'
import { waitFor } from '../../helpers/wait'
import { TestClient } from '../../helpers/ws-client'

const RATE = 5
const BURST = 50

type Answer = Extract<ServerMessage, { type: 'ack' | 'error' }>

describe('rate limit: server.maxMessagesPerSecond per client', () => {
  let rig: PtyBridge

  before(async () => {
    rig = await startPtyBridge(
      'rate',
      { id: 'meter', baudRate: 115200 },
      { server: { maxMessagesPerSecond: RATE } },
    )
  })
  after(() => rig?.stop())

  /** Every line the instrument got that starts with `prefix`. */
  const received = (prefix: string) => rig.instrument.lines.filter((l) => l.startsWith(prefix))

  test('on /ws: past the rate, RATE_LIMITED and not written; another client is unaffected', async () => {
    const flood = await TestClient.connect(`${rig.bridge.url}/ws`)
    const calm = await TestClient.connect(`${rig.bridge.url}/ws`)
    for (let n = 1; n <= BURST; n++)
      flood.send({ type: 'write', port: 'meter', data: `F${n}`, id: n })
    for (let n = 1; n <= 3; n++) calm.send({ type: 'write', port: 'meter', data: `C${n}`, id: n })
    const answersOf = (c: TestClient) =>
      c.messages().filter((m): m is Answer => m.type === 'ack' || m.type === 'error')
    await waitFor(() => answersOf(flood).length === BURST && answersOf(calm).length === 3, {
      what: 'an answer to every write',
      timeoutMs: 20_000,
    })
    const refused = answersOf(flood).filter((m) => m.type === 'error')
    const written = answersOf(flood).filter((m) => m.type === 'ack')
    assert.ok(written.length >= RATE && refused.length > 0, `${written.length} written`)
    for (const e of refused) {
      assert.equal(e.type === 'error' && e.code, 'RATE_LIMITED')
      assert.match(
        (e as { message: string }).message,
        /^more than 5 messages a second \(server\.maxMessagesPerSecond\): not written; try again in \d+ ms$/,
      )
    }
    assert.ok(
      answersOf(calm).every((m) => m.type === 'ack'),
      'the other client wrote everything',
    )
    await rig.instrument.waitForLine('C3')
    const last = written.at(-1)!.id
    await rig.instrument.waitForLine(`F${String(last)}`)
    assert.deepEqual(
      received('F'),
      written.map((m) => `F${String(m.id)}`),
      'exactly the acknowledged writes reached the port',
    )
    await flood.close()
    await calm.close()
  })

  test('queries count too; a JSON port stream hears RATE_LIMITED, a text stream drops silently', async () => {
    const ws = await TestClient.connect(`${rig.bridge.url}/ws`)
    for (let n = 1; n <= 20; n++)
      ws.send({ type: 'query', port: 'meter', data: `Q${n}`, timeoutMs: 50, id: n })
    await ws.nextMessage('error', (m) => m.code === 'RATE_LIMITED', { timeoutMs: 10_000 })

    const json = await TestClient.connect(`${rig.bridge.url}/ports/meter?format=json`)
    for (let n = 1; n <= BURST; n++) json.ws.send(`J${n}`)
    const refusal = await json.nextMessage('error', () => true, { timeoutMs: 10_000 })
    assert.equal(refusal.code, 'RATE_LIMITED')

    const text = await TestClient.connect(`${rig.bridge.url}/ports/meter`)
    for (let n = 1; n <= BURST; n++) text.ws.send(`T${n}`)
    // The pong comes after every message before the ping was taken or refused; a write by
    // another client, after those, reaches the port after every one that was taken.
    await new Promise((resolve) => text.ws.once('pong', resolve).ping())
    const other = await TestClient.connect(`${rig.bridge.url}/ws`)
    other.send({ type: 'write', port: 'meter', data: 'after the text burst' })
    await rig.instrument.waitForLine('after the text burst')
    await other.close()
    const taken = received('T')
    assert.ok(taken.length >= 1 && taken.length < BURST, `${taken.length} of ${BURST} written`)
    assert.deepEqual(
      taken,
      Array.from({ length: taken.length }, (_, i) => `T${i + 1}`),
    )
    await Promise.all([ws.close(), json.close(), text.close()])
  })

  test('REST: 429 RATE_LIMITED with Retry-After; another tool (by ?client=) is unaffected', async () => {
    const api = restClient(rig.bridge.url)
    const post = (who: string, data: string) =>
      api(`/ports/meter/write?client=${who}`, { method: 'POST', body: data })
    const answers = []
    for (let n = 1; n <= 3 * RATE; n++) answers.push(await post('script', `R${n}`))
    const limited = answers.filter((a) => a.status === 429)
    const ok = answers.filter((a) => a.status === 200)
    assert.ok(limited.length > 0 && ok.length >= RATE, `${ok.length} written`)
    for (const a of limited) {
      assert.ok(
        Number(a.headers.get('retry-after')) >= 1,
        `Retry-After ${a.headers.get('retry-after')}`,
      )
      assert.equal((a.body as { error: { code: string } }).error.code, 'RATE_LIMITED')
    }
    const other = await post('other-tool', 'O1')
    assert.equal(other.status, 200)
    await rig.instrument.waitForLine('O1')
    assert.equal(received('R').length, ok.length, 'only the answered 200 reached the port')
  })
})
