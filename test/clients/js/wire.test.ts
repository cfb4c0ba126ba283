import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseServerMessage, type ServerMessage as ClientView } from '../../../clients/js/src/wire'
import type { ServerMessage as EngineMessage } from '../../../common/protocol'
import { startPtyBridge } from '../../helpers/pty-bridge'
import { TestClient } from '../../helpers/ws-client'

// Compile time (npm run typecheck): every message the engine's protocol module can send is
// one the client's own types describe. The client cannot import the engine (it is a package
// of its own), so this line is what keeps the two from drifting apart.
const _engineMessagesFit = (message: EngineMessage): ClientView => message
void _engineMessagesFit

describe("the client's parser reads what a real bridge sends", () => {
  test('every kind of message, as sent, parses to itself', async () => {
    const rig = await startPtyBridge('wire', { id: 'meter', baudRate: 115200 })
    const raw = await TestClient.connect(`${rig.bridge.url}/ws`)
    try {
      await raw.nextMessage('hello')
      raw.send({ type: 'subscribe', ports: ['meter'], id: 1 })
      await raw.nextMessage('subscribed')
      raw.send({ type: 'list', id: 2 })
      await raw.nextMessage('ports', (m) => m.id === 2)
      raw.send({ type: 'ping', id: 3 })
      await raw.nextMessage('pong')
      raw.send({ type: 'write', port: 'meter', data: 'x', id: 4 })
      await raw.nextMessage('ack')
      raw.send({ type: 'query', port: 'meter', data: 'Q?', timeoutMs: 5000, id: 5 })
      await rig.instrument.waitForLine('Q?')
      await rig.instrument.write('answer\n')
      await raw.nextMessage('reply')
      await rig.instrument.write(Buffer.from([0xff, 0x0a]))
      await raw.nextMessage('data', (m) => m.encoding === 'base64')
      raw.send({ type: 'query', port: 'nope', data: 'Q?', id: 6 })
      await raw.nextMessage('error')
      await rig.pty.unplug()
      await raw.nextMessage('status', (m) => m.state !== 'open', { timeoutMs: 10_000 })

      const texts = raw.received.filter((r) => !r.binary).map((r) => r.data)
      const types = new Set<string>()
      for (const text of texts) {
        const parsed = parseServerMessage(text)
        assert.deepEqual(parsed, JSON.parse(text), text)
        types.add(parsed!.type)
      }
      assert.deepEqual([...types].sort(), [
        'ack',
        'data',
        'error',
        'hello',
        'pong',
        'ports',
        'reply',
        'status',
        'subscribed',
      ])
    } finally {
      await raw.close()
      await rig.stop()
    }
  })

  test('anything else is ignored, not thrown', () => {
    const junk = [
      '',
      '{',
      '[]',
      'null',
      '"data"',
      '{"type":"nope"}',
      '{"type":"toString"}',
      '{"type":"data","port":"p","data":"x","encoding":"utf8","ts":"t"}',
      '{"type":"data","port":"p","data":1,"encoding":"utf8","ts":"t","seq":1}',
      '{"type":"data","port":"p","data":"x","encoding":"hex","ts":"t","seq":1}',
      '{"type":"gap","port":"p","from":1.5,"to":null}',
      '{"type":"hello","protocol":1,"clientId":"c","ports":[{"id":"x"}]}',
      '{"type":"error","code":"TIMEOUT"}',
    ]
    for (const text of junk) assert.equal(parseServerMessage(text), null, text)
  })
})
