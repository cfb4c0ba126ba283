import assert from 'node:assert/strict'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { openRotatingLog } from '../../main/headless/log-file'

describe('rotating log file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-log-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  test('moves the file to .1 at the size limit, keeps the newest few and deletes older ones', () => {
    const path = join(dir, 'bridge.log')
    const log = openRotatingLog({ path, maxBytes: 100, keep: 2 })
    // Each line is 10 bytes with its newline: ten to a file.
    for (let i = 0; i < 45; i++) log.write(`line ${String(i).padStart(4, '0')}`)
    log.close()
    const lines = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n')
    assert.deepEqual(lines(path), ['line 0040', 'line 0041', 'line 0042', 'line 0043', 'line 0044'])
    assert.equal(lines(`${path}.1`)[0], 'line 0030')
    assert.equal(lines(`${path}.1`).length, 10)
    assert.equal(lines(`${path}.2`)[0], 'line 0020')
    assert.equal(existsSync(`${path}.3`), false, 'only two old files kept')
  })

  test('goes on appending to the file of an earlier run, and counts its size', () => {
    const path = join(dir, 'again.log')
    const first = openRotatingLog({ path, maxBytes: 100 })
    for (let i = 0; i < 8; i++) first.write(`first ${i}  `)
    first.close()
    const second = openRotatingLog({ path, maxBytes: 100 })
    second.write('second 0  ')
    second.write('second 1  ')
    second.write('second 2  ')
    second.close()
    // 8 × 10 bytes from the first run, then 11 each: the second of them would pass 100.
    assert.match(
      readFileSync(`${path}.1`, 'utf8'),
      /^first 0 {2}\n[^]*first 7 {2}\nsecond 0 {2}\n$/,
    )
    assert.equal(readFileSync(path, 'utf8'), 'second 1  \nsecond 2  \n')
  })

  test('a line longer than the limit still gets written, alone in its file', () => {
    const path = join(dir, 'long.log')
    const log = openRotatingLog({ path, maxBytes: 20 })
    log.write('short')
    log.write('x'.repeat(50))
    log.write('after')
    log.close()
    assert.equal(readFileSync(`${path}.2`, 'utf8'), 'short\n')
    assert.equal(readFileSync(`${path}.1`, 'utf8'), 'x'.repeat(50) + '\n')
    assert.equal(readFileSync(path, 'utf8'), 'after\n')
  })

  test('a folder it cannot write to is reported when opened, never thrown while logging', () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: a missing folder is the failure that remains.
      assert.throws(() => openRotatingLog({ path: join(dir, 'no', 'such', 'dir.log') }), /ENOENT/)
      return
    }
    const locked = join(dir, 'locked')
    chmodSync(dir, 0o500)
    try {
      assert.throws(() => openRotatingLog({ path: join(locked, 'x.log') }))
    } finally {
      chmodSync(dir, 0o700)
    }
  })
})
