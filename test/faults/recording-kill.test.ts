import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { isFrame, recordBytes } from '../../main/core/recording/record-format'
import { HEADLESS_ENTRY, HeadlessProcess } from '../helpers/headless-process'
import { Instrument } from '../helpers/instrument'
import { readPortRecords } from '../helpers/recordings'
import { SocatPair } from '../helpers/socat-pair'
import { waitFor } from '../helpers/wait'
import { TestClient } from '../helpers/ws-client'

/** What a flush (250 ms) plus a loaded machine can hold back: frames older than this are on disk. */
const FLUSHED_WITHIN_MS = 1000

/**
 * Headless mode recording a real pty, killed with SIGKILL mid-stream: no stop line, no last
 * flush. The files it leaves are accepted by the readers (the tolerant reader and the CSV
 * export) and hold every frame read more than a flush interval before the kill, in order.
 */
describe('a bridge killed while recording', () => {
  const pty = new SocatPair('kill')
  let headless: HeadlessProcess
  let instrument: Instrument

  before(async () => {
    await pty.plug()
    headless = HeadlessProcess.start({
      server: { port: 0 },
      ports: [{ id: 'meter', path: pty.a, record: { enabled: true } }],
    })
    await headless.url()
    await waitFor(() => /port meter .* open/.test(headless.stderr), {
      what: 'port open',
      timeoutMs: 20_000,
    })
    instrument = await Instrument.open(pty.b)
  })
  after(async () => {
    await headless?.stop()
    // The line first: a write still waiting for the killed bridge to read then fails and ends.
    await pty.dispose()
    await instrument?.close()
  })

  test('leaves whole files holding everything flushed before the kill', async () => {
    const url = await headless.url()
    const client = await TestClient.connect(`${url}/ports/meter`)
    const seen: Array<{ line: string; at: number }> = []
    client.ws.on('message', (data) => seen.push({ line: String(data), at: Date.now() }))
    let n = 0
    let killed = false
    // Not awaited after the kill: with nobody reading the pty, its last write may wait forever.
    void (async () => {
      while (!killed && n < 100_000) {
        await instrument.write(`sample ${n++} ${'v'.repeat(40)}\n`)
        if (n % 20 === 0) await new Promise((r) => setImmediate(r))
      }
    })().catch(() => undefined)
    await waitFor(() => seen.length >= 3000, {
      what: '3000 frames at the client',
      timeoutMs: 30_000,
    })
    const killedAt = Date.now()
    killed = true
    headless.proc.kill('SIGKILL')
    await headless.exited
    await client.closed

    const root = join(headless.dir, 'recordings')
    const { records, stats, files } = await readPortRecords(root, 'meter')
    assert.equal(files.length, 1)
    assert.equal(stats.badLines, 0, 'only the last line may be cut off')
    const lines = records.filter(isFrame).map((f) => recordBytes(f).toString())
    assert.ok(lines.length > 0)
    lines.forEach((line, i) => assert.equal(line, seen[i]?.line, `frame ${i} in order`))
    const flushed = seen.filter((s) => s.at < killedAt - FLUSHED_WITHIN_MS).length
    assert.ok(
      lines.length >= flushed,
      `${lines.length} frames in the file, ${flushed} flushed for sure`,
    )

    // The CSV export takes it too (exit 0), as a child process like a user runs it.
    const exported = spawnSync(
      process.execPath,
      ['--import', 'tsx', HEADLESS_ENTRY, 'export', files[0]!, '--csv'],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    )
    assert.equal(exported.status, 0, exported.stderr)
    assert.equal(exported.stdout.split('\r\n').length - 2, lines.length)
    assert.match(exported.stderr, new RegExp(`^exported ${lines.length} rows`))
  })
})
