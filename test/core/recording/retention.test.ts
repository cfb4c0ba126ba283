import assert from 'node:assert/strict'
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { startEngine } from '../../helpers/engine-fixture'
import { tempRecordings } from '../../helpers/recordings'
import { waitFor } from '../../helpers/wait'

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * `keepDays` through a real engine on a real folder, read against the engine's clock (its
 * `now` option), so days pass in the test without waiting for them.
 */
describe('recording.keepDays', () => {
  const folder = tempRecordings('keep')
  const meter = join(folder.dir, 'meter')
  const real = Date.now()
  let clock = real
  const logged: string[] = []
  let bridge: Awaited<ReturnType<typeof startEngine>>

  /** A file in the meter folder last written `daysAgo` days before the test began. */
  const file = (name: string, daysAgo: number) => {
    const path = join(meter, name)
    writeFileSync(path, '{}\n')
    const at = (real - daysAgo * DAY_MS) / 1000
    utimesSync(path, at, at)
    return path
  }
  const sweeps = () => logged.filter((l) => l.startsWith('recording: deleted')).length

  before(() => mkdirSync(meter))
  after(async () => {
    await bridge?.stop()
    folder.dispose()
  })

  test('files older than keepDays go at start; the rest, and files not named like recordings, stay', async () => {
    const old = file('2026-11-20T09-00-00Z.jsonl', 5)
    const oldCsv = file('2026-11-20T09-00-00Z.csv', 5)
    const recent = file('2026-11-26T09-00-00Z.jsonl', 1)
    const notes = file('notes.txt', 5)
    bridge = await startEngine(
      { recording: { keepDays: 2 } },
      { recordingsDir: folder.dir, now: () => clock, log: (line) => logged.push(line) },
    )
    await waitFor(() => sweeps() === 1, { what: 'the first sweep' })
    assert.deepEqual(
      logged.filter((l) => l.startsWith('recording:')),
      ['recording: deleted 2 old file(s)'],
    )
    assert.equal(existsSync(old), false)
    assert.equal(existsSync(oldCsv), false, 'its CSV export goes with it')
    assert.equal(existsSync(recent), true)
    assert.equal(existsSync(notes), true, 'not a recording: never touched')
  })

  test('days later by the clock, the next sweep removes what has grown old since', async () => {
    const recent = join(meter, '2026-11-26T09-00-00Z.jsonl')
    clock = real + 2.5 * DAY_MS
    const settings = bridge.engine.getSettings()
    const changed = await bridge.engine.importSettings({
      ...settings,
      recording: { ...settings.recording, keepDays: 3 },
    })
    assert.ok(changed.ok, JSON.stringify(changed))
    await waitFor(() => sweeps() === 2, { what: 'the sweep after the change' })
    assert.equal(existsSync(recent), false, '3.5 days old by the clock, kept for 3')
    assert.equal(existsSync(join(meter, 'notes.txt')), true)
  })
})
