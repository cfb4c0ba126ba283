import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import {
  recordingSettingsSchema,
  recordSettingsSchema,
  replaySettingsSchema,
} from '../../common/settings-schema'
import { HEADLESS_ENTRY, HeadlessProcess } from '../helpers/headless-process'
import { readPortRecords } from '../helpers/recordings'
import { waitFor } from '../helpers/wait'

const ROOT = join(import.meta.dirname, '..', '..')
const EXAMPLE = join(ROOT, 'docs', 'examples', 'record.py')
const PYTHON = '/usr/bin/python3'

/** docs/examples/record.py against headless mode, and the docs that describe recording. */
describe('the recording example and docs', () => {
  let headless: HeadlessProcess
  let url = ''

  before(async () => {
    headless = HeadlessProcess.start({
      server: { port: 0 },
      ports: [{ id: 'demo', path: 'sim:demo' }],
    })
    url = await headless.url()
    await waitFor(() => /port demo .* open/.test(headless.stderr), {
      what: 'demo open',
      timeoutMs: 20_000,
    })
  })
  after(async () => {
    await headless?.stop()
  })

  test('record.py records the simulator into ./recordings beside the config, and the file exports', async () => {
    const run = spawnSync(PYTHON, [EXAMPLE, url, 'demo', '1.5'], {
      encoding: 'utf8',
      timeout: 30_000,
    })
    assert.equal(run.status, 0, run.stderr)
    const [started, stopped] = run.stdout.trim().split('\n')
    const file = /^recording demo to (demo\/\S+\.jsonl)$/.exec(started ?? '')?.[1]
    assert.ok(file, run.stdout)
    const counts = /^stopped: (\d+) frames, (\d+) bytes, 0 dropped$/.exec(stopped ?? '')
    assert.ok(counts && Number(counts[1]) >= 3, run.stdout)
    const { records, stats } = await readPortRecords(join(headless.dir, 'recordings'), 'demo')
    assert.equal(stats.badLines, 0)
    assert.ok(records.filter((r) => 'dir' in r).length >= Number(counts[1]))
    const csv = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        HEADLESS_ENTRY,
        'export',
        join(headless.dir, 'recordings', file),
        '--csv',
      ],
      { encoding: 'utf8' },
    )
    assert.equal(csv.status, 0, csv.stderr)
    assert.match(
      csv.stdout,
      /^ts,dir,data\r\n\d{4}-\d\d-\d\dT[\d:.]+Z,rx,"T=\d+\.\d\d,RH=\d+\.\d"\r\n/,
    )
  })

  test('record.py says UNKNOWN_PORT for a wrong port id', () => {
    const wrong = spawnSync(PYTHON, [EXAMPLE, url, 'nope', '0'], {
      encoding: 'utf8',
      timeout: 30_000,
    })
    assert.equal(wrong.status, 1)
    assert.match(wrong.stderr, /^UNKNOWN_PORT: unknown port: nope$/m)
  })

  test('docs/protocol.md quotes record.py and names the recording fields; docs/recording.md exists', () => {
    const protocol = readFileSync(join(ROOT, 'docs', 'protocol.md'), 'utf8')
    assert.ok(
      protocol.includes(readFileSync(EXAMPLE, 'utf8')),
      'protocol.md quotes record.py as it is',
    )
    assert.ok(protocol.includes('"type":"record"'))
    const recording = readFileSync(join(ROOT, 'docs', 'recording.md'), 'utf8')
    const fields = [
      ...Object.keys(recordingSettingsSchema.shape),
      ...Object.keys(recordSettingsSchema.shape),
      ...Object.keys(replaySettingsSchema.shape),
    ]
    for (const field of fields)
      assert.ok(recording.includes(`\`${field}\``), `docs/recording.md: ${field}`)
    for (const event of [
      'start',
      'stop',
      'open',
      'close',
      'unplug',
      'reconnect',
      'release',
      'gap',
    ]) {
      assert.ok(
        recording.includes(`"event":"${event}"`),
        `docs/recording.md shows the ${event} event`,
      )
    }
  })
})
