import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { setTimeout as pause } from 'node:timers/promises'
import type { ServerMessage } from '../../../common/protocol'
import { isFrame, recordBytes } from '../../../main/core/recording/record-format'
import { startEngine } from '../../helpers/engine-fixture'
import { Instrument } from '../../helpers/instrument'
import { readPortRecords, tempRecordings } from '../../helpers/recordings'
import { SocatPair } from '../../helpers/socat-pair'
import { waitFor } from '../../helpers/wait'
import { TestClient } from '../../helpers/ws-client'

type Data = Extract<ServerMessage, { type: 'data' }>

/** The instrument's own schedule: ms between its readings (irregular, like a real one). */
const GAPS = [0, 60, 25, 140, 80, 200, 35, 110]
/**
 * Replay keeps each frame within 10 ms of its due time (replay.test.ts); the frames here also
 * crossed a pty and the recorder, on two cores shared with other test runs: a looser bound.
 */
const TOLERANCE_MS = 100

/**
 * The round trip a lab relies on: a real pty (socat) recorded by the bridge's own recorder,
 * then that very file played into `sim:replay`, watched by a real ws client.
 */
describe('a recording made by the recorder replays as it was read', () => {
  const pty = new SocatPair('rt')
  const folder = tempRecordings('roundtrip')
  let bridge: Awaited<ReturnType<typeof startEngine>>
  let instrument: Instrument
  let client: TestClient

  before(async () => {
    await pty.plug()
    bridge = await startEngine(
      { ports: [{ id: 'meter', path: pty.a, record: { enabled: true } }] },
      { recordingsDir: folder.dir },
    )
    await waitFor(() => bridge.engine.listPorts()[0]?.recording?.state === 'recording', {
      what: 'meter open and recording',
    })
    instrument = await Instrument.open(pty.b)
    client = await TestClient.connect(`${bridge.url}/ws`)
    await client.nextMessage('hello')
  })
  after(async () => {
    await client?.close()
    await instrument?.close()
    await bridge?.stop()
    await pty.dispose()
    folder.dispose()
  })

  test('the same frames, in order, with the spacing they were read with', async (t) => {
    for (const [i, gap] of GAPS.entries()) {
      // The instrument's pacing, not a wait for the bridge.
      await pause(gap)
      await instrument.write(`V=${i}\n`)
    }
    await waitFor(() => bridge.engine.listPorts()[0]!.metrics.framesIn >= GAPS.length, {
      what: 'every reading framed by the bridge',
    })
    const file = bridge.engine.listPorts()[0]!.recording!.file!
    const off = await bridge.engine.setRecording('meter', false)
    assert.ok(off.ok, JSON.stringify(off))

    const { records, stats } = await readPortRecords(folder.dir, 'meter')
    assert.equal(stats.badLines, 0)
    const recorded = records.filter(isFrame).filter((f) => f.dir === 'rx')
    assert.deepEqual(
      recorded.map((f) => recordBytes(f).toString()),
      GAPS.map((_, i) => `V=${i}`),
    )
    const span = Date.parse(recorded.at(-1)!.ts) - Date.parse(recorded[0]!.ts)
    const paced = GAPS.slice(1).reduce((a, b) => a + b, 0)
    assert.ok(span >= paced - 10, `the file keeps the instrument's pacing: ${span} ms`)

    const added = await bridge.engine.addPort({
      id: 'again',
      path: 'sim:replay',
      autoOpen: false,
      replay: { file, speed: 1 },
    })
    assert.ok(added.ok, JSON.stringify(added))
    client.send({ type: 'subscribe', ports: ['again'] })
    await client.nextMessage('subscribed', (m) => m.ports.includes('again'))
    assert.ok((await bridge.engine.openPort('again')).ok)
    const played = (): Data[] =>
      client.messages().filter((m): m is Data => m.type === 'data' && m.port === 'again')
    await waitFor(() => played().length >= recorded.length, {
      what: 'the recording played back',
      timeoutMs: 20_000,
    })
    const frames = played()
    assert.deepEqual(
      frames.map((f) => f.data),
      recorded.map((f) => recordBytes(f).toString()),
    )
    const t0 = Date.parse(recorded[0]!.ts)
    const p0 = Date.parse(frames[0]!.ts)
    let worst = 0
    frames.forEach((f, i) => {
      const want = Date.parse(recorded[i]!.ts) - t0
      const late = Date.parse(f.ts) - p0 - want
      worst = Math.max(worst, Math.abs(late))
      assert.ok(
        Math.abs(late) <= TOLERANCE_MS,
        `frame ${i}: ${late} ms off its recorded ${want} ms`,
      )
    })
    t.diagnostic(`replayed within ${worst} ms of the recorded offsets`)
  })
})
