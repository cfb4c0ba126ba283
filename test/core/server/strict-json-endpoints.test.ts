import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createAdminChannel } from '../../../main/admin/admin-channel'
import type { Engine } from '../../../common/engine-api'
import { startPtyBridge, type PtyBridge } from '../../helpers/pty-bridge'
import { TestClient } from '../../helpers/ws-client'
import { waitFor } from '../../helpers/wait'

const ADMIN_TOKEN = 'admin-token-strict-json-0123'
const deep = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth)

/** The control endpoint and the admin channel read JSON with the same depth and key rules. */
describe('depth and duplicate keys, on /ws and /admin', () => {
  let rig: PtyBridge

  before(async () => {
    let engine: Engine | null = null
    rig = await startPtyBridge(
      'strict',
      { id: 'meter', writeTerminator: '\r\n' },
      {
        extensions: [createAdminChannel(() => engine!, ADMIN_TOKEN, { logFault: () => undefined })],
      },
    )
    engine = rig.bridge.engine
  })
  after(() => rig.stop())

  test('a 50,000-deep id is BAD_MESSAGE (not INTERNAL), and the connection stays', async () => {
    const c = await TestClient.connect(rig.bridge.url + '/ws')
    await c.nextMessage('hello')
    c.send(`{"type":"ping","id":${deep(50_000)}}`)
    const error = await c.nextMessage('error')
    assert.deepEqual([error.code, error.message], ['BAD_MESSAGE', 'nested deeper than 32 levels'])
    c.send({ type: 'ping', id: deep(3) })
    await c.nextMessage('pong')
    await c.close()
  })

  test('a key given twice is BAD_MESSAGE naming it, and neither meaning is performed', async () => {
    const c = await TestClient.connect(rig.bridge.url + '/ws')
    await c.nextMessage('hello')
    c.send('{"type":"ping","type":"write","port":"meter","data":"EVIL","id":1}')
    const error = await c.nextMessage('error')
    assert.equal(error.code, 'BAD_MESSAGE')
    assert.match(error.message, /duplicate key "type"/)
    c.send({ type: 'write', port: 'meter', data: 'OK', id: 2 })
    await c.nextMessage('ack', (m) => m.id === 2)
    await waitFor(() => rig.instrument.bytes().length >= 4, { what: 'the real write' })
    assert.equal(rig.instrument.bytes().toString(), 'OK\r\n', 'only the real write arrived')
    await c.close()
  })

  test('the admin channel performs no call with a key twice or nested too deep', async () => {
    const tool = await TestClient.connect(rig.bridge.url + '/ws')
    const { clientId } = await tool.nextMessage('hello')
    const admin = await TestClient.connect(`${rig.bridge.url}/admin?adminToken=${ADMIN_TOKEN}`)
    // setClientReadOnly takes effect as it is called, so a later call sees it if it ran.
    const readOnly = JSON.stringify(['c0', true]).replace('c0', clientId)
    admin.send(`{"seq":1,"op":"listClients","op":"setClientReadOnly","args":${readOnly}}`)
    admin.send(`{"seq":2,"op":"setClientReadOnly","args":${readOnly},"x":${deep(50_000)}}`)
    admin.send({ seq: 3, op: 'listClients', args: [] })
    const answer = await admin.next((m) => {
      const message = JSON.parse(m.data) as { kind: string; seq?: number; value?: unknown }
      return message.kind === 'result' ? message : undefined
    })
    assert.equal(answer.seq, 3, 'the two bad calls got no answer')
    const clients = answer.value as Array<{ id: string; readOnly: boolean }>
    assert.equal(clients.find((c) => c.id === clientId)?.readOnly, false, 'neither call ran')
    await admin.close()
    await tool.close()
  })
})
