import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { heldBytes, type EngineProcess } from '../helpers/engine-process'
import type { Instrument } from '../helpers/instrument'
import { startPtyBridge, type PtyBridge } from '../helpers/pty-bridge'
import { PtyEngineProcess } from '../helpers/pty-engine-process'
import { waitFor } from '../helpers/wait'
import { TestClient } from '../helpers/ws-client'

const MiB = 1024 * 1024
const PUSHED = 20 * 1000 * 1000
const REPLAY_BYTES = MiB

describe('bytes that never end a frame (an instrument with a different line ending)', () => {
  let rig: PtyEngineProcess
  let engine: EngineProcess
  let instrument: Instrument

  before(async () => {
    // A settings file from before line framing: "\n" only, and the default maxFrameBytes.
    rig = await PtyEngineProcess.start(
      'unended',
      { id: 'meter', framing: { mode: 'delimiter', delimiter: '\n' } },
      // Its replay ring for resuming clients would hold 8 MiB of these frames, as it should.
      { server: { replayBytes: REPLAY_BYTES } },
    )
    ;({ engine, instrument } = rig)
  })
  after(async () => {
    await rig.stop()
  })

  test('20 MB with no delimiter arrive in frames of at most 64 KiB, counted as cut; clients with a 1 MiB limit stay', async (t) => {
    // Like Python's websockets, whose default max_size is 1 MiB (it closes with 1009 past it).
    const client = await TestClient.connect(engine.url + '/ports/meter?format=binary', {
      maxPayload: MiB,
    })
    const baseline = await engine.memory()
    const chunk = Buffer.alloc(100_000, 'CR-only reading\r'.repeat(6250))
    for (let sent = 0; sent < PUSHED; sent += chunk.length) await instrument.write(chunk)
    const received = () => client.received.reduce((n, r) => n + r.data.length / 2, 0)
    await waitFor(() => received() >= PUSHED - 64 * 1024, {
      what: 'the bytes at the client',
      timeoutMs: 120_000,
    })
    const sizes = client.received.map((r) => r.data.length / 2)
    assert.ok(Math.max(...sizes) <= 64 * 1024, `largest frame ${Math.max(...sizes)} bytes`)
    const [port] = await engine.ports()
    t.diagnostic(
      `${port!.metrics.framesCut} frames cut, ${port!.metrics.unendedBytes} bytes unended`,
    )
    assert.equal(port!.metrics.framesCut, Math.floor(PUSHED / (64 * 1024)))
    assert.ok(port!.metrics.unendedBytes >= PUSHED - 64 * 1024)
    assert.equal(client.ws.readyState, client.ws.OPEN, 'no 1009')
    const grown = heldBytes(await engine.memory()) - heldBytes(baseline)
    assert.ok(grown < 8 * MiB + REPLAY_BYTES, `heap+external grew ${(grown / MiB).toFixed(1)} MiB`)
    await client.close()
  })
})

describe('line endings as instruments send them, with the default framing', () => {
  let rig: PtyBridge

  before(async () => {
    rig = await startPtyBridge('endings', { id: 'meter' })
  })
  after(async () => {
    await rig.stop()
  })

  test('CRLF, CR-only and LF instruments all give clean lines', async () => {
    const client = await TestClient.connect(rig.bridge.url + '/ports/meter')
    await rig.instrument.write('V=1.0\r\nV=1.1\r\n')
    await rig.instrument.write('V=2.0\rV=2.1\r')
    await rig.instrument.write('V=3.0\nV=3.1\n')
    await waitFor(() => client.received.length >= 6, { what: 'six lines' })
    assert.deepEqual(
      client.received.map((r) => r.data),
      ['V=1.0', 'V=1.1', 'V=2.0', 'V=2.1', 'V=3.0', 'V=3.1'],
    )
    await client.close()
  })
})
