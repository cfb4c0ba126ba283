import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { statSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import {
  isFrame,
  recordBytes,
  type EventRecord,
  type RecordLine,
} from '../../../main/core/recording/record-format'
import { emptyStats, readRecords } from '../../../main/core/recording/recording-reader'
import { startEngine } from '../../helpers/engine-fixture'
import { Instrument } from '../../helpers/instrument'
import { readPortRecords, recordingFiles, tempRecordings } from '../../helpers/recordings'
import { SocatPair } from '../../helpers/socat-pair'
import { waitFor } from '../../helpers/wait'
import { TestClient } from '../../helpers/ws-client'

/** Recording a real pty (socat) through a real engine, switched on by a real ws client. */
describe('recording a port', () => {
  const pty = new SocatPair('rec')
  const folder = tempRecordings()
  let bridge: Awaited<ReturnType<typeof startEngine>>
  let instrument: Instrument

  before(async () => {
    await pty.plug()
    bridge = await startEngine(
      { ports: [{ id: 'meter', path: pty.a, framing: { mode: 'raw' } }] },
      { recordingsDir: folder.dir },
    )
    await waitFor(() => bridge.engine.listPorts()[0]?.state === 'open', { what: 'port open' })
    instrument = await Instrument.open(pty.b)
  })
  after(async () => {
    await instrument?.close()
    await bridge?.stop()
    await pty.dispose()
    folder.dispose()
  })

  test('a full-speed stream and the writes between it are in the file byte for byte, in order', async () => {
    const control = await TestClient.connect(`${bridge.url}/ws`)
    const hello = await control.nextMessage('hello')
    assert.ok(hello.features?.includes('record'))
    assert.equal(hello.ports[0]?.recording?.state, 'off')
    const openSince = bridge.engine.listPorts()[0]!.metrics.openSince
    control.send({ type: 'subscribe', ports: ['meter'] })
    await control.nextMessage('subscribed')
    control.send({ type: 'record', port: 'meter', enabled: true, id: 'on' })
    const on = await control.nextMessage('status', (m) => (m as { id?: unknown }).id === 'on')
    assert.equal(on.recording?.state, 'recording')
    assert.match(on.recording?.file ?? '', /^meter\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.jsonl$/)

    const sent: Buffer[] = []
    const commands: string[] = []
    for (let i = 0; i < 40; i++) {
      const chunk = randomBytes(16 * 1024)
      sent.push(chunk)
      await instrument.write(chunk)
      if (i % 4 === 0) {
        const command = `CMD ${i}\n`
        commands.push(command)
        control.send({ type: 'write', port: 'meter', data: command, id: i })
        await control.nextMessage('ack', (m) => m.id === i)
      }
    }
    await instrument.waitForLine(commands.at(-1)!.trim())
    const all = Buffer.concat(sent)
    await waitFor(() => bridge.engine.listPorts()[0]!.metrics.bytesIn >= all.length, {
      what: 'every byte read by the bridge',
      timeoutMs: 30_000,
    })
    control.send({ type: 'record', port: 'meter', enabled: false, id: 'off' })
    const off = await control.nextMessage('status', (m) => (m as { id?: unknown }).id === 'off')
    assert.equal(off.recording?.state, 'off')

    const { records, stats, files } = await readPortRecords(folder.dir, 'meter')
    assert.equal(files.length, 1)
    assert.deepEqual(stats, { records: records.length, badLines: 0, truncated: false })
    const frames = records.filter(isFrame)
    const rx = Buffer.concat(frames.filter((f) => f.dir === 'rx').map(recordBytes))
    assert.ok(
      rx.equals(all),
      `rx bytes equal what the instrument sent (${rx.length}/${all.length})`,
    )
    const tx = frames.filter((f) => f.dir === 'tx').map((f) => recordBytes(f).toString())
    assert.deepEqual(tx, commands)
    assert.equal(instrument.bytes().toString(), commands.join(''))
    const rxSeq = frames.filter((f) => f.dir === 'rx').map((f) => f.seq)
    assert.ok(
      rxSeq.every((s, i) => i === 0 || s === rxSeq[i - 1]! + 1),
      'rx seq without holes',
    )
    const events = records.filter((r): r is EventRecord => !isFrame(r))
    assert.equal(events[0]?.event, 'start')
    assert.equal(events.at(-1)?.event, 'stop')
    assert.equal(events.at(-1)?.frames, frames.length)
    assert.equal(off.recording?.frames, 0)
    // Switching recording on and off is not a setting of the serial line: no reopen.
    const info = bridge.engine.listPorts()[0]!
    assert.equal(info.metrics.openSince, openSince)
    assert.equal(info.metrics.reconnects, 0)
    assert.equal(info.settings.record.enabled, false)
    await control.close()
  })

  test('a read-only client may not switch recording', async () => {
    const control = await TestClient.connect(`${bridge.url}/ws`)
    const { clientId } = await control.nextMessage('hello')
    assert.ok(bridge.engine.setClientReadOnly(clientId, true).ok)
    control.send({ type: 'record', port: 'meter', enabled: true, id: 1 })
    const refused = await control.nextMessage('error', (m) => m.id === 1)
    assert.equal(refused.code, 'FORBIDDEN')
    control.send({ type: 'record', port: 'nope', enabled: true, id: 2, extra: 1 })
    assert.equal((await control.nextMessage('error', (m) => m.id === 2)).code, 'BAD_MESSAGE')
    assert.equal(bridge.engine.listPorts()[0]?.recording?.state, 'off')
    await control.close()
  })

  test('files rotate by size; each is whole, and together they hold every frame in order', async () => {
    assert.ok((await bridge.engine.importSettings(withRotation(bridge.engine.getSettings(), 1))).ok)
    await waitFor(() => bridge.engine.listPorts()[0]?.state === 'open', { what: 'port open' })
    const before = recordingFiles(folder.dir, 'meter').length
    assert.ok((await bridge.engine.setRecording('meter', true)).ok)
    const lines: string[] = []
    for (let i = 0; i < 24_000; i++) lines.push(`line ${i} ${'x'.repeat(100)}\n`)
    for (let i = 0; i < lines.length; i += 1000)
      await instrument.write(lines.slice(i, i + 1000).join(''))
    const total = lines.join('').length
    await waitFor(() => bridge.engine.listPorts()[0]!.metrics.bytesIn >= total, {
      what: 'the lines read',
      timeoutMs: 30_000,
    })
    assert.ok((await bridge.engine.setRecording('meter', false)).ok)
    const files = recordingFiles(folder.dir, 'meter').slice(before)
    assert.ok(files.length >= 3, `${files.length} files for ~4 MiB of JSON at 1 MiB each`)
    const records: RecordLine[] = []
    for (const [i, file] of files.entries()) {
      assert.ok(statSync(file).size <= 1024 * 1024, `${file} is at most rotateMiB`)
      const stats = emptyStats()
      const mine: RecordLine[] = []
      for await (const r of readRecords(file, stats)) mine.push(r)
      assert.equal(stats.badLines, 0)
      assert.equal((mine[0] as EventRecord).event, 'start')
      assert.equal((mine[0] as EventRecord).reason, i === 0 ? 'enabled' : 'rotated')
      assert.equal((mine.at(-1) as EventRecord).event, 'stop')
      records.push(...mine)
    }
    const rx = Buffer.concat(records.filter(isFrame).map(recordBytes)).toString()
    assert.equal(rx, lines.join(''))
  })

  test('unplug and re-plug are events in the file, between the frames', async () => {
    assert.ok((await bridge.engine.setRecording('meter', true)).ok)
    await instrument.write('before\n')
    await waitFor(async () => (await lastFrames()).includes('before\n'), { what: 'first frame' })
    await instrument.close()
    await pty.unplug()
    await waitFor(() => bridge.engine.listPorts()[0]?.state === 'reconnecting', {
      what: 'reconnecting',
    })
    await pty.plug()
    await waitFor(() => bridge.engine.listPorts()[0]?.state === 'open', {
      what: 'open again',
      timeoutMs: 10_000,
    })
    instrument = await Instrument.open(pty.b)
    await instrument.write('after\n')
    await waitFor(async () => (await lastFrames()).includes('after\n'), { what: 'last frame' })
    assert.ok((await bridge.engine.setRecording('meter', false)).ok)
    const files = recordingFiles(folder.dir, 'meter')
    const story: string[] = []
    for await (const r of readRecords(files.at(-1)!, emptyStats())) {
      story.push(isFrame(r) ? recordBytes(r).toString() : `<${r.event}>`)
    }
    assert.deepEqual(
      story.filter((s) => s.startsWith('<') || s === 'before\n' || s === 'after\n'),
      ['<start>', 'before\n', '<unplug>', '<reconnect>', 'after\n', '<stop>'],
    )
  })

  /** The rx data of the newest file so far, as one string. */
  async function lastFrames(): Promise<string> {
    const file = recordingFiles(folder.dir, 'meter').at(-1)
    if (!file) return ''
    let text = ''
    for await (const r of readRecords(file, emptyStats())) {
      if (isFrame(r)) text += recordBytes(r).toString()
    }
    return text
  }
})

function withRotation<T extends { recording: { rotateMiB: number } }>(settings: T, mib: number): T {
  return { ...settings, recording: { ...settings.recording, rotateMiB: mib } }
}
