import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { HEADLESS_ENTRY } from '../helpers/headless-process'
import { tempRecordings } from '../helpers/recordings'

const MiB = 1024 * 1024

/** A recording of `mib` MiB: frames with two numeric channels, one event line per MiB. */
function writeRecording(path: string, mib: number): number {
  let block = ''
  let lines = 0
  for (let i = 0; block.length < MiB - 200; i++, lines++) {
    block +=
      JSON.stringify({
        ts: new Date(Date.UTC(2026, 10, 23) + i).toISOString(),
        port: 'meter',
        dir: 'rx',
        seq: i,
        data: `T=${(20 + (i % 100) / 10).toFixed(1)},RH=${40 + (i % 7)} ${'.'.repeat(40)}`,
        encoding: 'utf8',
        values: { T: 20 + (i % 100) / 10, RH: 40 + (i % 7) },
      }) + '\n'
  }
  block += JSON.stringify({ ts: '2026-11-23T00:00:00.000Z', port: 'meter', event: 'unplug' }) + '\n'
  const fd = openSync(path, 'w')
  const bytes = Buffer.from(block)
  for (let i = 0; i < mib; i++) writeSync(fd, bytes)
  closeSync(fd)
  return lines * mib
}

/** Runs the export as a user does and samples its peak RSS (VmHWM) from outside, in /proc. */
function exportMeasured(
  input: string,
  output: string,
): Promise<{ code: number | null; peakMiB: number; stderr: string }> {
  const child = spawn(
    process.execPath,
    // A 64 MiB heap: an export that held the file (or its rows) would run out of memory and fail,
    // whatever the machine's load does to when V8 collects.
    [
      '--max-old-space-size=64',
      '--import',
      'tsx',
      HEADLESS_ENTRY,
      'export',
      input,
      '--csv',
      '--out',
      output,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  let peakKiB = 0
  const sample = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
      if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]))
    } catch {
      // Exited between two samples.
    }
  }, 20)
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearInterval(sample)
      resolve({ code, peakMiB: peakKiB / 1024, stderr })
    }),
  )
}

describe('serial-bridge export FILE.jsonl --csv', () => {
  const folder = tempRecordings('export')
  after(() => folder.dispose())

  test('a 160 MiB recording exports within a 64 MiB JavaScript heap', async () => {
    const small = join(folder.dir, 'small.jsonl')
    const big = join(folder.dir, 'big.jsonl')
    writeRecording(small, 32)
    const bigLines = writeRecording(big, 160)
    const a = await exportMeasured(small, join(folder.dir, 'small.csv'))
    const b = await exportMeasured(big, join(folder.dir, 'big.csv'))
    assert.equal(a.code, 0, a.stderr)
    assert.equal(b.code, 0, b.stderr)
    assert.equal(b.stderr, `exported ${bigLines} rows\n`)
    const head = readFileSync(join(folder.dir, 'big.csv'), 'utf8').slice(0, 200).split('\r\n')
    assert.equal(head[0], 'ts,dir,data,T,RH')
    assert.match(head[1]!, /^2026-11-23T00:00:00\.000Z,rx,"T=20\.0,RH=40 \.+",20,40$/)
    assert.ok(statSync(join(folder.dir, 'big.csv')).size > 40 * MiB)
    // Both ran with a 64 MiB heap (exportMeasured): an export that held the file, or its rows,
    // would have run out of memory on the 160 MiB one. The peak RSS is printed, not asserted: it
    // also counts read buffers waiting for a collection, and when V8 collects them varies with
    // the machine's load (from 98 to 247 MiB for the same file, measured here).
    const peaks = `peak RSS ${a.peakMiB.toFixed(1)} MiB (32 MiB in), ${b.peakMiB.toFixed(1)} MiB (160 MiB in)`
    console.log(`export: ${peaks}`)
  })

  test('wrong use is explained: no --csv, a missing file', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', HEADLESS_ENTRY, 'export', ...args],
          {
            stdio: ['ignore', 'ignore', 'pipe'],
          },
        )
        let stderr = ''
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
        child.once('exit', (code) => resolve({ code, stderr }))
      })
    const noFormat = await run(['x.jsonl'])
    assert.equal(noFormat.code, 2)
    assert.match(noFormat.stderr, /^say --csv \(the only export format\)/)
    const missing = await run([join(folder.dir, 'none.jsonl'), '--csv'])
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /cannot export .*none\.jsonl: it does not exist/)
  })
})
