import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fencedBlocks } from '../helpers/fenced-blocks'
import { HeadlessProcess, ROOT } from '../helpers/headless-process'

const README = join(ROOT, 'README.md')
const DOCUMENTED_URL = 'ws://127.0.0.1:8765'

/**
 * The README's quick start, taken from the README itself: the bridge started on
 * examples/demo.json, and the Python one-liner run as written (only the address is the
 * test's, since 8765 may be taken on a shared machine).
 */
describe("the README's quick start", () => {
  const shell = fencedBlocks(README, 'sh')
  const start = shell.find((b) => b.includes('# listening on'))
  const python = shell.find((b) => b.startsWith('python3 -c "'))
  const bin = mkdtempSync(join(tmpdir(), 'sb-readme-'))
  let headless: HeadlessProcess
  let url = ''

  before(async () => {
    assert.ok(start && python, 'the two blocks are there')
    headless = HeadlessProcess.withArgs([
      '--config',
      join(ROOT, 'examples/demo.json'),
      '--port',
      '0',
    ])
    url = await headless.url()
  })
  after(async () => {
    await headless?.stop()
    rmSync(bin, { recursive: true, force: true })
  })

  test('the settings file it shows is examples/demo.json, and the bridge says where it listens', () => {
    const [demo] = fencedBlocks(README, 'json')
    assert.equal(demo, readFileSync(join(ROOT, 'examples/demo.json'), 'utf8'))
    assert.match(start!, /^npx serial-bridge --config examples\/demo\.json$/m)
    assert.match(start!, new RegExp(`^# listening on ${DOCUMENTED_URL}$`, 'm'))
    assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+$/)
  })

  test('the Python snippet prints five readings, then the answer to *IDN?', () => {
    // Debian's python3 has websockets; the one first on the PATH here may not.
    symlinkSync('/usr/bin/python3', join(bin, 'python3'))
    const run = spawnSync('sh', ['-c', python!.replaceAll(DOCUMENTED_URL, url)], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` },
    })
    assert.equal(run.status, 0, run.stderr)
    const lines = run.stdout.trimEnd().split('\n')
    assert.equal(lines.length, 6, run.stdout)
    for (const line of lines.slice(0, 5)) assert.match(line, /^T=\d+\.\d\d,RH=\d+\.\d$/)
    assert.equal(lines[5], 'SerialBridge,SimulatedInstrument,SB-0001,1.0')
  })
})
