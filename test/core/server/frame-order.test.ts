import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { ServerMessage } from '../../../common/protocol'
import { startLineBridge, type LineBridge } from '../../helpers/line-bridge'
import { describeOnLines } from '../../helpers/test-lines'
import { waitFor } from '../../helpers/wait'
import { TestClient } from '../../helpers/ws-client'

const LINES = 2000
type DataMessage = Extract<ServerMessage, { type: 'data' }>

/** `text` cut into pieces of 1 to 97 bytes, so lines start and end anywhere in a read. */
function unevenPieces(text: string): Buffer[] {
  const bytes = Buffer.from(text)
  const pieces: Buffer[] = []
  for (let at = 0, n = 0; at < bytes.length; n++) {
    const size = 1 + ((n * 37) % 97)
    pieces.push(bytes.subarray(at, at + size))
    at += size
  }
  return pieces
}

describeOnLines('frames in order, both ways', (kind) => {
  let rig: LineBridge
  const clients: TestClient[] = []
  const connect = async (path: string): Promise<TestClient> => {
    const c = await TestClient.connect(rig.bridge.url + path)
    clients.push(c)
    return c
  }

  before(async () => {
    rig = await startLineBridge(kind.line('order'), { id: 'meter' })
  })
  after(async () => {
    for (const c of clients) await c.close()
    await rig.stop()
  })

  test('every line reaches every client once, in order, with consecutive seq', async () => {
    const control = await connect('/ws')
    control.send({ type: 'subscribe', ports: ['meter'] })
    await control.nextMessage('subscribed')
    const stream = await connect('/ports/meter?format=json')
    const sent = Array.from({ length: LINES }, (_, i) => `L${i} ${'·'.repeat(i % 7)}`)
    for (const piece of unevenPieces(sent.map((l) => `${l}\n`).join('')))
      await rig.instrument.write(piece)

    const data = (c: TestClient): DataMessage[] =>
      c.messages().filter((m): m is DataMessage => m.type === 'data')
    for (const c of [control, stream]) {
      await waitFor(() => data(c).length >= LINES, { what: 'every line', timeoutMs: 30_000 })
    }
    const got = data(control)
    assert.deepEqual(
      got.map((m) => m.data),
      sent,
    )
    assert.ok(
      got.every((m, i) => i === 0 || m.seq === got[i - 1]!.seq + 1),
      'seq goes up by one per frame',
    )
    assert.ok(got.every((m, i) => i === 0 || m.ts >= got[i - 1]!.ts))
    assert.deepEqual(
      data(stream).map((m) => [m.seq, m.data]),
      got.map((m) => [m.seq, m.data]),
      'the port stream gets the same frames with the same seq',
    )
  })

  test("a client's writes reach the port whole and in the order sent", async () => {
    const c = await connect('/ws')
    const commands = Array.from({ length: 200 }, (_, i) => `W${i}`)
    for (const [i, data] of commands.entries())
      c.send({ type: 'write', port: 'meter', data, id: i })
    await c.nextMessage('ack', (m) => m.id === commands.length - 1)
    await waitFor(() => rig.instrument.lines.length >= commands.length, { what: 'every command' })
    assert.deepEqual(rig.instrument.lines, commands)
  })
})
