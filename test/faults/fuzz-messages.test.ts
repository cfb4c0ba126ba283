import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { clientMessageSchema } from '../../common/protocol'
import { encodeWrite } from '../../main/core/protocol/write-payload'
import { portSettingsSchema } from '../../common/settings-schema'
import type { Instrument } from '../helpers/instrument'
import { startPtyBridge, type PtyBridge } from '../helpers/pty-bridge'
import { TestClient } from '../helpers/ws-client'
import { waitFor } from '../helpers/wait'

const PORT = { id: 'p', path: '', writeTerminator: '\r\n' }
const RUNS = 300

/** Valid messages, then mutated: fields dropped, retyped, renamed, or values replaced. */
const validMessage = fc.oneof(
  fc.record({ type: fc.constant('list') }),
  fc.record({ type: fc.constant('ping'), id: fc.jsonValue() }),
  fc.record({
    type: fc.constantFrom('subscribe', 'unsubscribe'),
    ports: fc.oneof(fc.constant('*'), fc.array(fc.constantFrom('p', 'x', ''))),
  }),
  fc.record(
    {
      type: fc.constant('write'),
      port: fc.constantFrom('p', 'nope'),
      data: fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF '), maxLength: 20 }),
        fc.base64String({ maxLength: 40 }),
      ),
      encoding: fc.constantFrom('utf8', 'hex', 'base64', 'ebcdic'),
      id: fc.integer(),
    },
    { requiredKeys: ['type'] },
  ),
)
const mutated = fc
  .tuple(validMessage, fc.string({ maxLength: 8 }), fc.jsonValue(), fc.nat(3))
  .map(([m, key, value, how]) => {
    const copy: Record<string, unknown> = { ...m }
    const keys = Object.keys(copy)
    const target = keys[how % keys.length]!
    if (how === 0) delete copy[target]
    else if (how === 1) copy[target] = value
    else if (how === 2) copy[key] = value
    return copy
  })
const validWrite = fc.oneof(
  fc.record({
    type: fc.constant('write'),
    port: fc.constant('p'),
    data: fc.string({ maxLength: 30 }),
  }),
  fc.record({
    type: fc.constant('write'),
    port: fc.constant('p'),
    data: fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b).toString('hex')),
    encoding: fc.constant('hex'),
    id: fc.jsonValue(),
  }),
  fc.record({
    type: fc.constant('write'),
    port: fc.constant('p'),
    data: fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b).toString('base64')),
    encoding: fc.constant('base64'),
  }),
)
const anyFrame = fc.oneof(
  validWrite.map((m) => JSON.stringify(m)),
  mutated.map((m) => JSON.stringify(m)),
  validMessage.map((m) => JSON.stringify(m)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 60 }),
  fc.string({ maxLength: 60 }).map((s) => '{' + s),
)

describe('fuzzing both endpoints (fast-check)', () => {
  let rig: PtyBridge
  let bridge: PtyBridge['bridge']
  let instrument: Instrument

  before(async () => {
    rig = await startPtyBridge('fuzz', PORT)
    ;({ bridge, instrument } = rig)
  })
  after(async () => {
    await rig.stop()
  })

  test('/ws answers every frame as the protocol says and writes only valid writes', async () => {
    const c = await TestClient.connect(bridge.url + '/ws')
    await c.nextMessage('hello')
    const settings = portSettingsSchema.parse({ ...PORT, path: rig.pty.a })
    const expected: Buffer[] = []
    await fc.assert(
      fc.asyncProperty(anyFrame, async (raw) => {
        const from = c.received.length
        c.send(raw)
        const answer = await c.next(
          (r) =>
            r.data.startsWith('{"type":"data"')
              ? undefined
              : (JSON.parse(r.data) as { type: string; code?: string }),
          { from },
        )
        const parsed = (() => {
          try {
            return clientMessageSchema.safeParse(JSON.parse(raw))
          } catch {
            return null
          }
        })()
        if (!parsed?.success) {
          assert.deepEqual([answer.type, answer.code], ['error', 'BAD_MESSAGE'], raw)
          return
        }
        const m = parsed.data
        const expectedType = {
          list: 'ports',
          ping: 'pong',
          subscribe: 'subscribed',
          unsubscribe: 'subscribed',
          write: 'ack',
          query: 'reply',
          record: 'status',
          startPoll: 'pollStarted',
          stopPoll: 'pollStopped',
          release: 'released',
        }[m.type]
        if (answer.type === 'error') {
          // Valid in shape but refused: an unknown port or undecodable data.
          assert.ok(
            ['UNKNOWN_PORT', 'BAD_MESSAGE'].includes(answer.code!),
            `${raw} → ${JSON.stringify(answer)}`,
          )
          return
        }
        assert.equal(answer.type, expectedType, raw)
        if (m.type === 'write') {
          const encoded = encodeWrite(m.data, m.encoding, settings)
          assert.ok(encoded.ok)
          expected.push(encoded.value)
        }
      }),
      { numRuns: RUNS, seed: 20261123 },
    )
    assert.ok(expected.length >= 20, `only ${expected.length} valid writes were generated`)
    const all = Buffer.concat(expected)
    await waitFor(() => instrument.bytes().length >= all.length, {
      what: 'every valid write at the instrument',
    })
    assert.deepEqual(instrument.bytes(), all, 'exactly the valid writes reached the port, in order')
    c.send({ type: 'ping', id: 'alive' })
    await c.nextMessage('pong', (m) => m.id === 'alive')
  })

  test('the port stream writes every frame as given: text plus terminator, binary raw', async () => {
    const start = instrument.bytes().length
    const stream = await TestClient.connect(bridge.url + '/ports/p')
    const expected: Buffer[] = []
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 50 }), fc.uint8Array({ maxLength: 50 })),
        async (frame) => {
          if (typeof frame === 'string') {
            stream.ws.send(frame)
            expected.push(Buffer.from(frame.endsWith('\r\n') ? frame : frame + '\r\n'))
          } else {
            stream.ws.send(frame)
            expected.push(Buffer.from(frame))
          }
        },
      ),
      { numRuns: RUNS, seed: 7 },
    )
    const all = Buffer.concat(expected)
    await waitFor(() => instrument.bytes().length - start >= all.length, {
      what: 'every frame at the instrument',
    })
    assert.deepEqual(instrument.bytes().subarray(start), all)
    assert.equal(stream.ws.readyState, stream.ws.OPEN)
    await stream.close()
  })
})
