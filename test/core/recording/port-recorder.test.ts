import assert from 'node:assert/strict'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { PortRecorder } from '../../../main/core/recording/port-recorder'
import { isFrame, recordBytes, type EventRecord } from '../../../main/core/recording/record-format'
import { RxFrame } from '../../../main/core/serial/rx-frame'
import { readPortRecords, tempRecordings } from '../../helpers/recordings'
import { waitFor } from '../../helpers/wait'

const frame = (seq: number) =>
  new RxFrame('meter', Buffer.from(`reading ${seq} ${'x'.repeat(80)}`), Date.now(), seq, {
    text: null,
    valid: true,
  })

/** The recorder alone, on a real folder: its own bounded buffer when the disk cannot take more. */
describe('a recorder whose disk cannot keep up', () => {
  const folder = tempRecordings('recorder')
  after(() => folder.dispose())

  test('drops frames beyond its buffer, counts them, and says where in the file', async () => {
    const parent = join(folder.dir, 'disk')
    writeFileSync(parent, 'a file where the folder should be')
    let changes = 0
    const recorder = new PortRecorder({
      port: 'meter',
      root: join(parent, 'recordings'),
      rotateBytes: 100 * 1024 * 1024,
      rotateDaily: true,
      reason: 'enabled',
      describe: () => ({}),
      now: Date.now,
      changed: () => void changes++,
      bufferBytes: 4096,
      retryMs: 50,
    })
    await recorder.ready()
    assert.equal(recorder.status().state, 'error')
    assert.match(recorder.status().error ?? '', /: the folder was removed$/)
    for (let seq = 1; seq <= 200; seq++) recorder.pushRx(frame(seq))
    const dropped = recorder.status().dropped
    assert.ok(dropped > 100 && dropped < 200, `${dropped} of 200 dropped by a 4 KiB buffer`)

    rmSync(parent)
    mkdirSync(parent)
    await waitFor(() => recorder.status().state === 'recording', { what: 'resumed' })
    // What waited in the buffer is written first; until then new frames would not fit.
    await waitFor(() => recorder.status().frames === 200 - dropped, { what: 'the buffer written' })
    for (let seq = 201; seq <= 205; seq++) recorder.pushRx(frame(seq))
    await recorder.stop('disabled')

    const { records } = await readPortRecords(join(parent, 'recordings'), 'meter')
    const kept = 200 - dropped
    const seqs = records.filter(isFrame).map((f) => f.seq)
    assert.deepEqual(seqs, [
      ...Array.from({ length: kept }, (_, i) => i + 1),
      201,
      202,
      203,
      204,
      205,
    ])
    const lines = records.map((r) => (isFrame(r) ? `#${r.seq}` : `<${r.event}>`))
    const drop = records.find(
      (r): r is EventRecord => !isFrame(r) && r.event === 'gap' && !('from' in r),
    )
    assert.equal(drop?.dropped, dropped)
    assert.equal(
      lines[lines.indexOf('<gap>', lines.indexOf(`#${kept}`)) - 1],
      `#${kept}`,
      'the drop is marked where it happened',
    )
    const outage = records.find(
      (r): r is EventRecord => !isFrame(r) && r.event === 'gap' && 'from' in r,
    )
    assert.match(String(outage?.error), /the folder was removed/)
    assert.equal(recordBytes(records.filter(isFrame).at(-1)!).toString().split(' ')[1], '205')
    assert.ok(changes >= 2)
  })
})
