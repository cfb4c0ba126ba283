import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { settingsSchema } from '../../../common/settings-schema'
import { validateSettings } from '../../../common/validation'
import { parseSettingsText, writeSettingsFile } from '../../../main/core/settings/settings-file'
import { openAppStore } from '../../../main/shell/app-store'
import { createConfStore } from '../../helpers/conf-store'
import { HeadlessProcess } from '../../helpers/headless-process'

describe('settings files hold tokens', () => {
  const dirs: string[] = []
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-settings-safety-'))
    dirs.push(dir)
    return dir
  }
  const mode = (path: string) => statSync(path).mode & 0o777

  test('a save writes the file owner-only (0600), also over a file that was 0644', async () => {
    const dir = freshDir()
    const file = join(dir, 'config.json')
    await writeSettingsFile(file, settingsSchema.parse({ server: { token: 'tok-12345678' } }))
    assert.equal(mode(file), 0o600)
    chmodSync(file, 0o644)
    await writeSettingsFile(file, settingsSchema.parse({}))
    assert.equal(mode(file), 0o600)
  })

  test('headless mode removes the temporary files of a save that died at start, and nothing else', async () => {
    const stale = ['config.json.2913350347', 'config.json.tmp-1733920000abc0f9']
    const kept = ['config.json.bad', 'config.json.1x', 'other.json.123', 'config.json.tmp-1']
    const headless = HeadlessProcess.start({ server: { port: 0 } }, [], (dir) => {
      for (const name of [...stale, ...kept]) writeFileSync(join(dir, name), '{"x":"token"}')
    })
    try {
      await headless.url()
      assert.deepEqual(readdirSync(headless.dir).sort(), ['config.json', ...kept].sort())
      for (const name of stale) {
        assert.match(headless.stderr, new RegExp(`removed ${name}, left by an interrupted save`))
      }
    } finally {
      await headless.stop()
    }
  })

  test('the desktop store removes them at start and saves owner-only', async () => {
    const dir = freshDir()
    writeFileSync(join(dir, 'settings.json.tmp-1733920000abc0f9'), '{}')
    const store = await openAppStore(dir, createConfStore)
    store.saveSettings(settingsSchema.parse({ server: { token: 'tok-12345678' } }))
    assert.deepEqual(readdirSync(dir), ['settings.json'])
    assert.equal(mode(join(dir, 'settings.json')), 0o600)
  })
})

describe('what a settings file may say', () => {
  test('allowedOrigins refuses "*" and "null", however spelled, and says why', () => {
    for (const origin of ['*', 'null', ' NULL ', 'null/', '*/']) {
      const checked = validateSettings({
        server: { allowedOrigins: ['http://ok.example', origin] },
      })
      assert.equal(checked.ok, false, origin)
      const message = checked.ok ? '' : checked.errors.join('; ')
      assert.match(message, /server\.allowedOrigins\[1\]/, origin)
      assert.match(message, origin.includes('*') ? /not a wildcard/ : /any page can claim/, origin)
    }
    const ok = validateSettings({
      server: { allowedOrigins: ['http://127.0.0.1:8080', 'null.example'] },
    })
    assert.equal(ok.ok, true)
  })

  test('a key given twice or nesting too deep is refused, naming the key', () => {
    const twice = parseSettingsText('{"server":{"port":8765,"port":80}}', 'config.json')
    assert.deepEqual(twice, {
      ok: false,
      errors: ['config.json: duplicate key "port": each key may appear once'],
    })
    const deep = parseSettingsText(`{"ports":${'['.repeat(100)}${']'.repeat(100)}}`, 'c.json')
    assert.deepEqual(deep, { ok: false, errors: ['c.json: nested deeper than 32 levels'] })
  })
})
