import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, test } from 'node:test'
import { settingsSchema } from '../../common/settings-schema'
import { writeSettingsFile } from '../../main/core/settings/settings-file'

const KILLS = 20
const ROOT = resolve(import.meta.dirname, '../..')

describe('a process killed mid-save', () => {
  test('leaves the old file or the new one, never a partial one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-save-kill-'))
    const file = join(dir, 'config.json')
    // Two large, different settings, so a save takes long enough to be interrupted.
    const make = (baud: number) =>
      settingsSchema.parse({
        ports: Array.from({ length: 400 }, (_, i) => ({
          id: `p${i}`,
          path: `COM${i}`,
          baudRate: baud,
        })),
      })
    const a = make(9600)
    const b = make(115200)
    await writeSettingsFile(file, a)
    writeFileSync(join(dir, 'both.json'), JSON.stringify([a, b]))
    const saver = `
      import { writeSettingsFile } from ${JSON.stringify(join(ROOT, 'main/core/settings/settings-file.ts'))}
      import { readFileSync } from 'node:fs'
      const [a, b] = JSON.parse(readFileSync(${JSON.stringify(join(dir, 'both.json'))}, 'utf8'))
      for (let i = 0; ; i++) {
        await writeSettingsFile(${JSON.stringify(file)}, i % 2 ? a : b)
        process.stdout.write('saved\\n')
      }
    `
    const seen = new Set<string>()
    try {
      for (let k = 0; k < KILLS; k++) {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', '--input-type=module', '-e', saver],
          {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        )
        // Let it finish a few saves (more each time), then cut it off wherever it is.
        let saves = 0
        await new Promise<void>((resolve) =>
          child.stdout.on('data', (d: Buffer) => {
            saves += d.toString().split('\n').length - 1
            if (saves >= 1 + (k % 4)) resolve()
          }),
        )
        for (let spin = 0; spin < k * 7; spin++) await new Promise((r) => setImmediate(r))
        child.kill('SIGKILL')
        await new Promise((r) => child.once('exit', r))
        const text = readFileSync(file, 'utf8')
        const saved = JSON.stringify(JSON.parse(text))
        assert.ok(
          saved === JSON.stringify(a) || saved === JSON.stringify(b),
          `kill ${k}: neither old nor new`,
        )
        seen.add(saved === JSON.stringify(a) ? 'a' : 'b')
      }
      assert.equal(seen.size, 2, 'saves really ran between the kills')
      const leftovers = readdirSync(dir).filter((f) => f !== 'config.json' && f !== 'both.json')
      // write-file-atomic's temporary files may remain after a SIGKILL; they never replace the
      // file, and only its owner can read them (they hold the tokens; headless mode removes
      // them at its next start: settings-file-safety.test.ts).
      for (const f of leftovers) {
        assert.match(f, /^config\.json\.\d+$/)
        assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f)
      }
      assert.equal(statSync(file).mode & 0o777, 0o600)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
