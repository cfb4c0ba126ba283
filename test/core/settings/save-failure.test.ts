import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import type { Settings } from '../../../common/settings-schema'
import { writeSettingsFile } from '../../../main/core/settings/settings-file'
import { openAppStore } from '../../../main/shell/app-store'
import { createConfStore } from '../../helpers/conf-store'
import { startEngine } from '../../helpers/engine-fixture'

/**
 * A change that cannot be saved is refused whole: what runs is what the next start loads. The
 * file is made unwritable the way that works as root too: a directory where the file goes.
 */
describe('a save that fails', () => {
  const dirs: string[] = []
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-save-fail-'))
    dirs.push(dir)
    return dir
  }
  const refusedUnsaved = (result: { ok: boolean; errors?: string[] }, what: string) => {
    assert.equal(result.ok, false, what)
    assert.match(
      result.errors?.join('; ') ?? '',
      /settings not saved \(.+\); nothing was changed/,
      what,
    )
  }

  test('in headless mode: every change is refused with the reason, and none takes effect', async () => {
    const dir = freshDir()
    const file = join(dir, 'config.json')
    mkdirSync(file)
    const bridge = await startEngine(
      { ports: [{ id: 'demo', path: 'sim:demo', autoOpen: false }] },
      { persist: (s) => writeSettingsFile(file, s) },
    )
    try {
      const { engine } = bridge
      const before = engine.getSettings()
      const events: Settings[] = []
      engine.on('settings', (s) => events.push(s))

      const server = await engine.updateServerSettings({ maxClients: 5 })
      refusedUnsaved(server, 'updateServerSettings')
      assert.match(server.ok ? '' : server.errors[0]!, new RegExp(`cannot write ${file}`))
      refusedUnsaved(await engine.addPort({ id: 'extra', path: 'sim:extra' }), 'addPort')
      const demo = before.ports[0]!
      refusedUnsaved(await engine.updatePort('demo', { ...demo, baudRate: 115200 }), 'updatePort')
      refusedUnsaved(await engine.updatePort('demo', { ...demo, id: 'renamed' }), 'rename')
      refusedUnsaved(await engine.removePort('demo'), 'removePort')
      refusedUnsaved(await engine.importSettings({ ports: [] }), 'importSettings')

      assert.deepEqual(engine.getSettings(), before)
      assert.deepEqual(
        engine.listPorts().map((p) => [p.id, p.settings.baudRate]),
        [['demo', 9600]],
      )
      assert.deepEqual(events, [])

      // The disk is back: the same change goes through, saved owner-only.
      rmSync(file, { recursive: true })
      const saved = await engine.updateServerSettings({ maxClients: 5 })
      assert.equal(saved.ok, true)
      assert.equal(engine.getSettings().server.maxClients, 5)
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).server.maxClients, 5)
      assert.equal(statSync(file).mode & 0o777, 0o600)
    } finally {
      await bridge.stop()
    }
  })

  test('in the desktop app (a conf store): refused the same way, and the store keeps the old', async () => {
    const dir = freshDir()
    const store = await openAppStore(dir, createConfStore)
    const bridge = await startEngine(
      { ports: [{ id: 'demo', path: 'sim:demo', autoOpen: false }] },
      { persist: (s) => store.saveSettings(s) },
    )
    try {
      assert.equal((await bridge.engine.updateServerSettings({ maxClients: 7 })).ok, true)
      const before = bridge.engine.getSettings()
      assert.deepEqual(store.settings, before, 'saved while the file could be written')
      rmSync(join(dir, 'settings.json'))
      mkdirSync(join(dir, 'settings.json'))
      refusedUnsaved(await bridge.engine.removePort('demo'), 'removePort')
      assert.deepEqual(bridge.engine.getSettings(), before)
      assert.deepEqual(store.settings, before, 'the store did not take the unsaved change')
      assert.equal(bridge.engine.listPorts().length, 1)
      assert.throws(() => store.setPreferences({ startMinimized: true }), /EISDIR/)
      assert.equal(store.preferences().startMinimized, false, 'preferences likewise')
    } finally {
      await bridge.stop()
    }
  })
})
