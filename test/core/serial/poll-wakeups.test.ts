import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startLineBridge, type LineBridge } from '../../helpers/line-bridge'
import { PtyMaster } from '../../helpers/pty-master'
import { waitFor } from '../../helpers/wait'
import { TestClient } from '../../helpers/ws-client'

// bindings-cpp 13 loses a waiting write's wakeup when a read re-arms the poller meanwhile
// (main/core/serial/poll-wakeups.ts). Here that order is made on purpose, on a real pty: the
// instrument stops reading, the bridge's long write fills the line and waits, the instrument
// talks (the bridge reads, and re-arms), then reads again and stays quiet. Without the fix the
// write never finishes (or the bridge stops reading the lines).
describe('a write waiting on a full line while the port reads (real pty)', () => {
  let rig: LineBridge<PtyMaster>

  before(async () => {
    rig = await startLineBridge(new PtyMaster('wakeups'), { id: 'meter' })
  })
  after(async () => {
    await rig.stop()
  })

  test('the port goes on reading while the write waits; the write finishes, whole, once the instrument reads', async () => {
    const { bridge, instrument } = rig
    const client = await TestClient.connect(bridge.url + '/ws')
    client.send({ type: 'subscribe', ports: ['meter'] })
    await client.nextMessage('subscribed')
    await instrument.stopReading()
    // Far more than a pty holds (about 12 KB before the first EAGAIN here).
    const size = 200_000
    client.send({ type: 'write', port: 'meter', data: 'w'.repeat(size), id: 'long' })
    // The write has filled what the pty shows (4,095 bytes) and goes on until the line is full.
    await waitFor(async () => (await instrument.queued()) >= 4000, {
      what: "the bridge's write to fill the line",
    })
    for (let n = 1; n <= 20; n++) await instrument.write(`reading ${n}\n`)
    await client.nextMessage('data', (m) => m.data === 'reading 20', { timeoutMs: 20_000 })
    await instrument.resumeReading()
    await client.nextMessage('ack', (m) => m.id === 'long', { timeoutMs: 20_000 })
    await waitFor(() => instrument.bytes().length >= size + 1, {
      what: `all ${size + 1} bytes at the instrument`,
      timeoutMs: 20_000,
    })
    assert.deepEqual(instrument.lines, ['w'.repeat(size)])
    await client.close()
  })
})
