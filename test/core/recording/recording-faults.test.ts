import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, openSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { ServerMessage } from '../../../common/protocol'
import { isFrame, recordBytes, type EventRecord } from '../../../main/core/recording/record-format'
import { startEngine } from '../../helpers/engine-fixture'
import { Instrument } from '../../helpers/instrument'
import { readPortRecords, tempRecordings } from '../../helpers/recordings'
import { SocatPair } from '../../helpers/socat-pair'
import { waitFor } from '../../helpers/wait'
import { TestClient } from '../../helpers/ws-client'

type Status = Extract<ServerMessage, { type: 'status' }>

/**
 * A recordings folder that stops taking writes: a real full disk (a 128 KiB tmpfs, mounted
 * for the test; the tests run as root, so chmod would not stop a write) and a folder replaced
 * by a file. The port, its clients and its writes go on; the recording says why it stopped,
 * and resumes by itself with a `gap` line once writing works again.
 */
describe('recording when the disk fails', () => {
  const pty = new SocatPair('recfault')
  const work = tempRecordings('recfault')
  const mount = join(work.dir, 'small-disk')
  let bridge: Awaited<ReturnType<typeof startEngine>>
  let instrument: Instrument
  let control: TestClient
  let line = 0

  before(async () => {
    mkdirSync(mount)
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=128k', 'tmpfs', mount])
    await pty.plug()
    bridge = await startEngine(
      { ports: [{ id: 'meter', path: pty.a }], recording: { dir: join(mount, 'recordings') } },
      { recordingsDir: join(work.dir, 'unused') },
    )
    await waitFor(() => bridge.engine.listPorts()[0]?.state === 'open', { what: 'port open' })
    instrument = await Instrument.open(pty.b)
    control = await TestClient.connect(`${bridge.url}/ws`)
    await control.nextMessage('hello')
    control.send({ type: 'subscribe', ports: ['meter'] })
    await control.nextMessage('subscribed')
  })
  after(async () => {
    await control?.close()
    await instrument?.close()
    await bridge?.stop()
    await pty.dispose()
    execFileSync('umount', [mount])
    work.dispose()
  })

  /** The instrument sends `n` numbered lines; resolves once the client has them all. */
  async function send(n: number): Promise<string[]> {
    const lines = Array.from({ length: n }, () => `reading ${++line}`)
    await instrument.write(lines.map((l) => `${l}\n`).join(''))
    const last = lines.at(-1)!
    await control.nextMessage('data', (m) => m.data === last, { timeoutMs: 10_000 })
    return lines
  }

  function recordingStatus(where: (s: Status) => boolean, from: number): Promise<Status> {
    return control.nextMessage('status', (m) => m.recording !== undefined && where(m), {
      timeoutMs: 15_000,
      from,
    })
  }

  test('a full disk: state error "the disk is full", the port goes on, recording resumes with a gap line', async () => {
    assert.ok((await bridge.engine.setRecording('meter', true)).ok)
    const root = join(mount, 'recordings')
    const lines = await send(20)
    // Fill what is left of the small disk.
    const filler = join(mount, 'filler')
    const fd = openSync(filler, 'w')
    try {
      for (;;) writeSync(fd, Buffer.alloc(4096))
    } catch (error) {
      assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC')
    } finally {
      closeSync(fd)
    }
    const from = control.received.length
    const during = await send(200)
    const failed = await recordingStatus((s) => s.recording?.state === 'error', from)
    assert.equal(
      failed.recording?.error,
      `cannot write to ${join(root, 'meter')}: the disk is full`,
    )
    assert.equal(failed.state, 'open', 'the port is not affected')
    // Writes and reads go on while the recording cannot be written.
    control.send({ type: 'write', port: 'meter', data: 'STILL THERE', id: 'w' })
    assert.equal((await control.nextMessage('ack', (m) => m.id === 'w')).bytes, 12)
    await instrument.waitForLine('STILL THERE')
    const meanwhile = await send(50)
    assert.equal(bridge.engine.listPorts()[0]?.recording?.state, 'error')

    rmSync(filler)
    await recordingStatus((s) => s.recording?.state === 'recording', from)
    const after = await send(5)
    assert.ok((await bridge.engine.setRecording('meter', false)).ok)
    const { records } = await readPortRecords(root, 'meter')
    const rx = records
      .filter(isFrame)
      .filter((f) => f.dir === 'rx')
      .map((f) => recordBytes(f).toString())
    assert.deepEqual(rx, [...lines, ...during, ...meanwhile, ...after], 'nothing lost, in order')
    const gap = records.find((r): r is EventRecord => !isFrame(r) && r.event === 'gap')
    assert.ok(gap, 'a gap line records the outage')
    assert.equal(gap.error, failed.recording?.error)
    assert.equal(gap.dropped, 0)
    assert.ok(Date.parse(String(gap.from)) <= Date.parse(String(gap.to)))
    const tx = records.filter(isFrame).filter((f) => f.dir === 'tx')
    assert.deepEqual(
      tx.map((f) => recordBytes(f).toString()),
      ['STILL THERE\n'],
    )
  })

  test('a folder replaced by a file: "the folder was removed", then it resumes in a new file', async () => {
    const root = join(mount, 'recordings')
    assert.ok((await bridge.engine.setRecording('meter', true)).ok)
    await send(5)
    const from = control.received.length
    rmSync(root, { recursive: true, force: true })
    writeFileSync(root, 'not a folder')
    const failed = await recordingStatus((s) => s.recording?.state === 'error', from)
    assert.equal(
      failed.recording?.error,
      `cannot write to ${join(root, 'meter')}: the folder was removed`,
    )
    const during = await send(30)
    assert.equal(bridge.engine.listPorts()[0]?.state, 'open')
    rmSync(root)
    mkdirSync(root)
    await recordingStatus((s) => s.recording?.state === 'recording', from)
    const after = await send(3)
    assert.ok((await bridge.engine.setRecording('meter', false)).ok)
    const { records, files } = await readPortRecords(root, 'meter')
    assert.equal(files.length, 1, 'the new file (the old one went with its folder)')
    assert.equal((records[0] as EventRecord).reason, 'resumed')
    assert.equal((records[1] as EventRecord).event, 'gap')
    const rx = records.filter(isFrame).map((f) => recordBytes(f).toString())
    assert.deepEqual(rx, [...during, ...after])
  })
})
