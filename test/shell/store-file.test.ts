import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { checkStoreFile } from '../../main/shell/store-file'
import { defaultSettings } from '../../common/settings-schema'
import { defaultAppPreferences } from '../../main/admin/operation-args'

describe('store file check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-store-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  let n = 0
  const file = (content?: string) => {
    const path = join(dir, `settings-${n++}.json`)
    if (content !== undefined) writeFileSync(path, content)
    return path
  }

  it('starts from defaults when there is no file yet', async () => {
    const check = await checkStoreFile(file())
    assert.equal(check.state, 'missing')
    assert.deepEqual(check.stored, {
      settings: defaultSettings(),
      preferences: defaultAppPreferences(),
    })
  })

  it('reads a valid file, filling preferences it does not name', async () => {
    const path = file(
      '\uFEFF' +
        JSON.stringify({
          settings: { server: { port: 9000 }, ports: [{ path: 'sim:demo' }] },
          preferences: { closeToTray: false },
          __internal__: { migrations: { version: '0.1.0' } },
        }),
    )
    const check = await checkStoreFile(path)
    assert.equal(check.state, 'ok')
    assert.equal(check.stored.settings.server.port, 9000)
    assert.equal(check.stored.settings.ports[0]!.id, 'sim-demo')
    assert.deepEqual(check.stored.preferences, { ...defaultAppPreferences(), closeToTray: false })
    assert.ok(existsSync(path), 'a good file stays where it is')
  })

  for (const [what, content, problem] of [
    ['cut-off JSON', '{"settings": {"server": {', /not valid JSON/],
    ['not an object', '[1, 2]', /not a JSON object/],
    ['settings the schema refuses', '{"settings": {"server": {"port": "x"}}}', /server\.port/],
    ['a bad preference', '{"preferences": {"startAtLogin": "yes"}}', /preferences\.startAtLogin/],
  ] as const) {
    it(`keeps ${what} aside as .bad and starts from defaults`, async () => {
      const path = file(content)
      const check = await checkStoreFile(path)
      assert.equal(check.state, 'kept-aside')
      if (check.state !== 'kept-aside') return
      assert.match(check.problem, problem)
      assert.equal(check.aside, `${path}.bad`)
      assert.equal(existsSync(path), false)
      assert.equal(readFileSync(check.aside, 'utf8'), content, 'the old file is kept as it was')
      assert.deepEqual(check.stored.settings, defaultSettings())
    })
  }
})
