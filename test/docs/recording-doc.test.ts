import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { ServerMessage } from '../../common/protocol'
import { validatePortSettings } from '../../common/validation'
import { isFrame, recordBytes } from '../../main/core/recording/record-format'
import { startEngine } from '../helpers/engine-fixture'
import { fencedBlocks } from '../helpers/fenced-blocks'
import { ROOT } from '../helpers/headless-process'
import { readPortRecords, tempRecordings } from '../helpers/recordings'
import { waitFor } from '../helpers/wait'
import { TestClient } from '../helpers/ws-client'

const DOC = join(ROOT, 'docs', 'recording.md')
const FILE = 'meter/2026-11-23T09-15-02Z.jsonl'

/**
 * docs/recording.md's examples, taken from the file itself and run: its records are a file
 * the project's reader accepts, its export commands run as written, its status block has the
 * fields the engine sends, and its replay port plays that file.
 */
describe('docs/recording.md, executed', () => {
  const [frames, events, status, replayPort] = fencedBlocks(DOC, 'json')
  const [exports] = fencedBlocks(DOC, 'sh')
  const folder = tempRecordings('doc')
  const recordings = join(folder.dir, 'recordings')

  before(() => {
    assert.ok(frames && events && status && replayPort && exports, 'the blocks are there')
    // As the recorder lays it out: the start line, the frames, then what happened next.
    const [start, ...rest] = events!.trimEnd().split('\n')
    mkdirSync(join(recordings, 'meter'), { recursive: true })
    writeFileSync(join(recordings, FILE), [start, frames!.trimEnd(), ...rest].join('\n') + '\n')
  })
  after(() => folder.dispose())

  test('the record examples are records the reader accepts, giving back their bytes', async () => {
    const { records, stats } = await readPortRecords(recordings, 'meter')
    assert.deepEqual(stats, { records: 10, badLines: 0, truncated: false })
    const bytes = records.filter(isFrame).map((f) => [f.dir, recordBytes(f).toString('hex')])
    assert.deepEqual(bytes, [
      ['rx', Buffer.from('V=1.234').toString('hex')],
      ['tx', 'ff00b0'],
    ])
  })

  test('the export commands run as written and write the same CSV', () => {
    // `serial-bridge` on the PATH, as installing the package puts it; `npm run` in a folder
    // of the project (its package.json and scripts), where the recordings are.
    const bin = join(folder.dir, 'bin')
    mkdirSync(bin)
    symlinkSync(join(ROOT, 'scripts', 'serial-bridge.mjs'), join(bin, 'serial-bridge'))
    for (const name of ['package.json', 'scripts', 'node_modules'])
      symlinkSync(join(ROOT, name), join(folder.dir, name))
    const lines = exports!.trimEnd().split('\n')
    assert.equal(lines.length, 2)
    const outputs = lines.map((line) => {
      const run = spawnSync('sh', ['-c', line], {
        cwd: folder.dir,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` },
      })
      assert.equal(run.status, 0, `${line}\n${run.stderr}`)
      assert.match(run.stderr, /exported 2 rows/)
      return readFileSync(join(folder.dir, 'meter.csv'), 'utf8')
    })
    assert.equal(
      outputs[0],
      'ts,dir,data\r\n2026-11-23T09:15:02.123Z,rx,V=1.234\r\n2026-11-23T09:15:02.130Z,tx,ff 00 b0\r\n',
    )
    assert.equal(outputs[1], outputs[0])
  })

  test('the status block has the fields and types a recording port reports', async () => {
    const bridge = await startEngine(
      { ports: [{ id: 'demo', path: 'sim:demo', record: { enabled: true } }] },
      { recordingsDir: join(folder.dir, 'live') },
    )
    try {
      await waitFor(() => bridge.engine.listPorts()[0]?.recording?.file, {
        what: 'demo recording to a file',
      })
      const real = bridge.engine.listPorts()[0]!.recording!
      const documented = JSON.parse(status!) as Record<string, unknown>
      const shape = (o: object) =>
        Object.entries(o)
          .map(([k, v]) => `${k}:${typeof v}`)
          .sort()
      assert.deepEqual(shape(documented), shape(real))
    } finally {
      await bridge.stop()
    }
  })

  test('the replay port is valid settings and plays the documented file', async () => {
    const checked = validatePortSettings(JSON.parse(replayPort!))
    assert.ok(checked.ok, JSON.stringify(checked))
    const port = checked.value
    const bridge = await startEngine({ ports: [port] }, { recordingsDir: recordings })
    const client = await TestClient.connect(`${bridge.url}/ws`)
    try {
      await client.nextMessage('hello')
      client.send({ type: 'subscribe', ports: [port.id] })
      await client.nextMessage('subscribed')
      // It opened (and played) at start; opened again, it plays the file from its start.
      assert.ok((await bridge.engine.closePort(port.id)).ok)
      assert.ok((await bridge.engine.openPort(port.id)).ok)
      const data = await client.nextMessage('data', (m) => m.port === port.id, {
        timeoutMs: 20_000,
      })
      assert.equal((data as Extract<ServerMessage, { type: 'data' }>).data, 'V=1.234')
    } finally {
      await client.close()
      await bridge.stop()
    }
  })
})
