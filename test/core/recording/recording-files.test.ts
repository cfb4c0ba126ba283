import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { after, describe, test } from 'node:test'
import { settingsSchema } from '../../../common/settings-schema'
import { createEngine } from '../../../main/core/engine'
import { csvField, exportCsv, safeText } from '../../../main/core/recording/csv-export'
import { parseRecordingFileName, recordingFileName } from '../../../main/core/recording/file-names'
import { RecordFormatter, parseRecord, isFrame } from '../../../main/core/recording/record-format'
import { emptyStats, readRecords } from '../../../main/core/recording/recording-reader'
import {
  fileInRoot,
  portFolderName,
  portOfFolder,
  recordingsRoot,
} from '../../../main/core/recording/recording-paths'
import { RxFrame } from '../../../main/core/serial/rx-frame'
import { tempRecordings } from '../../helpers/recordings'

const folder = tempRecordings('recfiles')
after(() => folder.dispose())

describe('recording names never leave the recordings folder', () => {
  const root = join(folder.dir, 'root')

  test('names from clients: only a port folder and a recording name inside the root', () => {
    assert.deepEqual(fileInRoot(root, 'meter/2026-11-23T09-15-02Z.jsonl'), {
      ok: true,
      path: join(root, 'meter', '2026-11-23T09-15-02Z.jsonl'),
    })
    for (const hostile of [
      '../secret.jsonl',
      '../../etc/passwd',
      '/etc/passwd',
      'meter/../../x.jsonl',
      'meter/..',
      '../meter/x.jsonl',
      '..\\..\\x.jsonl',
      'meter/.hidden.jsonl',
      'a/b/c.jsonl',
      'meter/x.txt',
      'meter/x.jsonl\u0000.csv',
      '',
    ]) {
      const found = fileInRoot(root, hostile)
      assert.equal(found.ok, false, hostile)
    }
    assert.equal(fileInRoot(root, 'meter/a.csv', ['.jsonl', '.csv']).ok, true)
  })

  test('port ids as folder names: `.` and `..` refused, reserved Windows names kept apart', () => {
    for (const id of ['..', '.', '../x', 'a/b', 'a\\b', '.hidden', 'x.']) {
      assert.throws(() => portFolderName(id), /cannot be used as a folder name/, id)
    }
    assert.equal(portFolderName('meter'), 'meter')
    assert.equal(portFolderName('COM3'), 'COM3_')
    assert.equal(portFolderName('nul'), 'nul_')
    assert.equal(portOfFolder('COM3_'), 'COM3')
    assert.equal(portOfFolder('meter_'), 'meter_')
  })

  test('the folder: the host default, an absolute dir, or one relative to the default’s parent', () => {
    const base = { rotateMiB: 100, rotateDaily: true, keepDays: null }
    assert.equal(
      recordingsRoot({ ...base, dir: null }, '/data/app/recordings'),
      '/data/app/recordings',
    )
    assert.equal(recordingsRoot({ ...base, dir: '/mnt/rec' }, '/data/app/recordings'), '/mnt/rec')
    assert.equal(recordingsRoot({ ...base, dir: 'lab' }, '/data/app/recordings'), '/data/app/lab')
    assert.throws(() => recordingsRoot({ ...base, dir: null }, null), /no recordings folder is set/)
  })

  test('a hostile port id injected below the schema records nothing, anywhere', async () => {
    const root = join(folder.dir, 'hostile', 'recordings')
    const settings = settingsSchema.parse({
      server: { port: 0 },
      ports: [{ id: 'placeholder', path: 'sim:demo', record: { enabled: true } }],
    })
    // The schema would refuse it (only `..` passes its pattern); the recorder checks anyway.
    settings.ports[0]!.id = '..'
    const engine = createEngine({ settings, recordingsDir: root, deviceListIntervalMs: 60_000 })
    await engine.start()
    try {
      const info = engine.listPorts()[0]!
      assert.equal(info.recording?.state, 'error')
      assert.match(info.recording?.error ?? '', /port id "\.\." cannot be used as a folder name/)
      assert.equal(existsSync(join(folder.dir, 'hostile')), false, 'nothing made at all')
      assert.equal((await engine.deleteRecording('../recordings.jsonl')).ok, false)
      assert.equal(engine.recordingFilePath('meter/../../../x.jsonl').ok, false)
      const list = await engine.listRecordings()
      assert.deepEqual(list.ok && list.value.files, [])
    } finally {
      await engine.stop()
    }
  })
})

describe('the format and its tolerant reader', () => {
  test('frames are text when their bytes are UTF-8 as they are, else base64; both give the bytes back', () => {
    const f = new RecordFormatter('meter')
    const frame = (bytes: Buffer, ascii: boolean) =>
      new RxFrame('meter', bytes, Date.UTC(2026, 10, 23, 9, 15, 2, 123), 7, {
        text: ascii ? null : bytes.toString('latin1'),
        valid: true,
      })
    const text = parseRecord(f.rx(frame(Buffer.from('T="21,5 °C"\t\u0001'), false)))
    assert.deepEqual(text, {
      ts: '2026-11-23T09:15:02.123Z',
      port: 'meter',
      dir: 'rx',
      seq: 7,
      data: 'T="21,5 °C"\t\u0001',
      encoding: 'utf8',
    })
    const binary = parseRecord(f.tx(Buffer.from([0xff, 0x00, 0xb0]), 0, 1))
    assert.equal(binary && isFrame(binary) && binary.encoding, 'base64')
    assert.equal(binary && isFrame(binary) && binary.data, '/wCw')
  })

  test('a truncated last line is ignored; bad lines in the middle are counted and skipped', async () => {
    const file = join(folder.dir, 'torn.jsonl')
    const f = new RecordFormatter('meter')
    const good = f.event(0, 'start', { format: 1 }) + f.tx(Buffer.from('A'), 1, 1)
    writeFileSync(
      file,
      good + 'not json\n{"ts":"x"}\n\n' + f.tx(Buffer.from('B'), 2, 2) + '{"ts":"2026',
    )
    const stats = emptyStats()
    const seen = []
    for await (const r of readRecords(file, stats)) seen.push(r)
    assert.equal(seen.length, 3)
    assert.deepEqual(stats, { records: 3, badLines: 2, truncated: true })
  })

  test('file names sort by start time and sequence', () => {
    const ms = Date.UTC(2026, 10, 23, 9, 15, 2, 999)
    assert.equal(recordingFileName(ms), '2026-11-23T09-15-02Z.jsonl')
    assert.equal(recordingFileName(ms, 2), '2026-11-23T09-15-02Z-2.jsonl')
    assert.deepEqual(parseRecordingFileName('2026-11-23T09-15-02Z-2.jsonl'), {
      startMs: Date.UTC(2026, 10, 23, 9, 15, 2),
      n: 2,
    })
    assert.equal(parseRecordingFileName('../2026-11-23T09-15-02Z.jsonl'), null)
  })
})

describe('CSV export', () => {
  test('ts,dir,data and a column per numeric channel; quoted as RFC 4180; formulas defused', async () => {
    const dir = join(folder.dir, 'csv')
    mkdirSync(dir)
    const file = join(dir, 'in.jsonl')
    const rows = [
      {
        ts: '2026-11-23T09:15:02.123Z',
        port: 'm',
        dir: 'rx',
        seq: 1,
        data: 'T=21.5,RH=40',
        encoding: 'utf8',
        values: { T: 21.5, RH: 40 },
      },
      { ts: '2026-11-23T09:15:02.200Z', port: 'm', event: 'unplug' },
      {
        ts: '2026-11-23T09:15:02.300Z',
        port: 'm',
        dir: 'tx',
        seq: 1,
        data: 'say "hi"',
        encoding: 'utf8',
      },
      {
        ts: '2026-11-23T09:15:02.400Z',
        port: 'm',
        dir: 'rx',
        seq: 2,
        data: '=HYPERLINK("x")',
        encoding: 'utf8',
        values: { P: 3 },
      },
      {
        ts: '2026-11-23T09:15:02.500Z',
        port: 'm',
        dir: 'rx',
        seq: 3,
        data: '/wCw',
        encoding: 'base64',
      },
      {
        ts: '2026-11-23T09:15:02.600Z',
        port: 'm',
        dir: 'rx',
        seq: 4,
        data: '-1.5',
        encoding: 'utf8',
      },
    ]
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n{"cut')
    const out = new PassThrough()
    let text = ''
    out.on('data', (d: Buffer) => (text += d.toString()))
    const result = await exportCsv(file, out)
    assert.equal(result.rows, 5)
    assert.equal(result.truncated, true)
    assert.equal(
      text,
      [
        'ts,dir,data,T,RH,P',
        '2026-11-23T09:15:02.123Z,rx,"T=21.5,RH=40",21.5,40,',
        '2026-11-23T09:15:02.300Z,tx,"say ""hi""",,,',
        `2026-11-23T09:15:02.400Z,rx,"'=HYPERLINK(""x"")",,,3`,
        '2026-11-23T09:15:02.500Z,rx,ff 00 b0,,,',
        '2026-11-23T09:15:02.600Z,rx,-1.5,,,',
        '',
      ].join('\r\n'),
    )
    assert.equal(csvField('a\nb'), '"a\nb"')
    assert.equal(safeText('+CMGS'), "'+CMGS")
    assert.equal(safeText('+1e3'), '+1e3')
    assert.deepEqual(readdirSync(dir), ['in.jsonl'])
    assert.ok(readFileSync(file, 'utf8').endsWith('{"cut'))
  })
})
