import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { openAppStore } from '../../main/shell/app-store'
import { createConfStore } from '../helpers/conf-store'
import { settingsSchema } from '../../common/settings-schema'

describe('app store on conf (the library under electron-store)', () => {
  const dirs: string[] = []
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-appstore-'))
    dirs.push(dir)
    return dir
  }

  it('writes defaults on first run and keeps changes across a reopen', async () => {
    const dir = freshDir()
    const first = await openAppStore(dir, createConfStore)
    assert.equal(first.notice, null)
    const onDisk = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))
    assert.deepEqual(onDisk.settings, first.settings)

    const changed = settingsSchema.parse({
      server: { port: 9100, allowedOrigins: ['http://localhost:3000'] },
      ports: [{ path: 'sim:demo', baudRate: 115200 }],
    })
    first.saveSettings(changed)
    first.setPreferences({ startMinimized: true })

    const second = await openAppStore(dir, createConfStore)
    assert.deepEqual(second.settings, changed)
    assert.deepEqual(second.preferences(), {
      startAtLogin: false,
      startMinimized: true,
      closeToTray: true,
    })
  })

  it('keeps a corrupt file aside, loads defaults, and has a notice for the user', async () => {
    const dir = freshDir()
    const path = join(dir, 'settings.json')
    writeFileSync(path, '{"settings": {"server": {"port": 99999}}}')
    const store = await openAppStore(dir, createConfStore)
    assert.ok(store.notice)
    assert.equal(store.notice.level, 'warning')
    assert.match(store.notice.message, /could not be read \(server\.port: /)
    assert.match(store.notice.message, /default settings/)
    assert.ok(store.notice.message.includes(`${path}.bad`))
    assert.equal(readFileSync(`${path}.bad`, 'utf8'), '{"settings": {"server": {"port": 99999}}}')
    assert.equal(store.settings.server.port, 8765)
    assert.ok(existsSync(path), 'a fresh store file with defaults')
    const reopened = await openAppStore(dir, createConfStore)
    assert.equal(reopened.notice, null)
  })
})
