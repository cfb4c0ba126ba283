import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, test } from 'node:test'
import type { Engine } from '../../../common/engine-api'
import { settingsSchema, type SettingsInput } from '../../../common/settings-schema'
import { createEngine } from '../../../main/core/engine'
import { writeSettingsText } from '../../../main/core/settings/settings-file'
import { createConfigSync, type ConfigSync } from '../../../main/headless/config-file/config-sync'
import { portOverride } from '../../../main/headless/config-file/port-override'
import { waitFor } from '../../helpers/wait'

interface Said {
  level: string
  message: string
}

/** A real engine whose settings file is a real file, kept in step by config-sync. */
async function start(dir: string, input: SettingsInput, quietMs = 50) {
  const path = join(dir, 'lab.json')
  const text = JSON.stringify(input, null, 2)
  writeFileSync(path, text)
  const said: Said[] = []
  const sync = createConfigSync({
    path,
    initialText: text,
    report: (level, message) => void said.push({ level, message }),
    write: writeSettingsText,
    quietMs,
  })
  const engine = createEngine({
    settings: settingsSchema.parse(input),
    persist: sync.persist,
    deviceListIntervalMs: 60_000,
  })
  await engine.start()
  sync.start(engine)
  return { path, said, sync, engine }
}

const onDisk = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as SettingsInput

describe('the headless settings file, kept in step with the running bridge', () => {
  let dir = ''
  let running: { engine: Engine; sync: ConfigSync } | null = null

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-config-'))
  })
  afterEach(async () => {
    running?.sync.stop()
    await running?.sync.idle()
    await running?.engine.stop()
    running = null
    rmSync(dir, { recursive: true, force: true })
  })

  test('a hand edit while running is loaded; only the port that changed is touched', async () => {
    const ports = [
      { id: 'a', path: '/dev/ttyNOPE1', autoOpen: false },
      { id: 'b', path: '/dev/ttyNOPE2', autoOpen: false },
    ]
    const r = (running = await start(dir, { server: { port: 0 }, ports }))
    const portEvents: string[] = []
    r.engine.on('port', ({ port }) => portEvents.push(port.id))
    writeFileSync(
      r.path,
      JSON.stringify({
        server: { port: 0, maxClients: 9 },
        ports: [ports[0], { ...ports[1], baudRate: 19200 }],
      }),
    )
    await waitFor(
      () => r.said.some((s) => s.message === 'lab.json was changed on disk: loaded it.'),
      {
        timeoutMs: 20_000,
        what: 'the reload',
      },
    )
    assert.equal(r.engine.getSettings().server.maxClients, 9)
    assert.equal(r.engine.listPorts().find((p) => p.id === 'b')?.settings.baudRate, 19200)
    assert.ok(!portEvents.includes('a'), 'port a was left alone')
  })

  test('a bad hand edit is reported in words and the running settings are kept', async () => {
    const r = (running = await start(dir, { server: { port: 0, maxClients: 5 } }))
    writeFileSync(r.path, '{"server": {"maxClients": "lots"}}')
    const said = await waitFor(() => r.said.find((s) => s.level === 'error'), {
      timeoutMs: 20_000,
      what: 'the report',
    })
    assert.match(
      said.message,
      /^lab\.json was changed but cannot be used \(lab\.json: server\.maxClients: .*\)\. The running settings are kept/,
    )
    assert.equal(r.engine.getSettings().server.maxClients, 5)
    // Until the file is fixed, nothing from the UI is written over the user's edit.
    const refused = await r.engine.updateServerSettings({ maxClients: 6 })
    assert.equal(refused.ok, false)
    assert.match(!refused.ok ? refused.errors.join() : '', /changed on disk/)
    assert.equal(readFileSync(r.path, 'utf8'), '{"server": {"maxClients": "lots"}}')
  })

  test('a UI change is never written over a file that changed since it was read; it says why', async () => {
    // The watcher waits long here, so the UI's save comes first: the write must see the edit itself.
    const r = (running = await start(dir, { server: { port: 0, maxClients: 5 } }, 600_000))
    const handEdit = JSON.stringify({ server: { port: 0, maxClients: 8 } })
    writeFileSync(r.path, handEdit)
    // Refused whole: nothing of it runs, and the error says why (settings-keeper).
    const refused = await r.engine.updateServerSettings({ maxClients: 6 })
    assert.equal(refused.ok, false)
    assert.match(
      !refused.ok ? refused.errors.join() : '',
      /^settings not saved \(lab\.json was changed on disk after Serial Bridge last read it, so this change was not written over it\. The file is being loaded instead.*nothing was changed$/s,
    )
    assert.notEqual(r.engine.getSettings().server.maxClients, 6)
    assert.equal(readFileSync(r.path, 'utf8'), handEdit, 'the hand edit is still there')
    await r.sync.idle()
    assert.equal(r.engine.getSettings().server.maxClients, 8, 'and it is what runs now')
    // Now in step again: the next change is saved.
    assert.ok((await r.engine.updateServerSettings({ maxClients: 7 })).ok)
    assert.equal(onDisk(r.path).server?.maxClients, 7)
  })

  test("the bridge's own writes are not taken for hand edits", async () => {
    const r = (running = await start(dir, { server: { port: 0 } }))
    assert.ok((await r.engine.updateServerSettings({ maxClients: 3 })).ok)
    assert.ok((await r.engine.updateServerSettings({ maxClients: 4 })).ok)
    assert.equal(onDisk(r.path).server?.maxClients, 4)
    // Give the watcher a change it would act on, so its quiet period has surely passed.
    const edit = { ...onDisk(r.path), server: { ...onDisk(r.path).server, heartbeatSeconds: 20 } }
    writeFileSync(r.path, JSON.stringify(edit))
    await waitFor(() => r.said.length > 0, { timeoutMs: 20_000, what: 'the reload' })
    assert.deepEqual(
      r.said.map((s) => s.message),
      ['lab.json was changed on disk: loaded it.'],
    )
    assert.equal(r.engine.getSettings().server.maxClients, 4)
  })
})

describe('--port', () => {
  test('runs on its port while the file keeps its own, until the UI changes the port', () => {
    const fromFile = settingsSchema.parse({ server: { port: 8765 } })
    const override = portOverride(9000, 8765)
    const running = override.toRunning(fromFile)
    assert.equal(running.server.port, 9000)
    const saved = override.toFile({ ...running, server: { ...running.server, maxClients: 3 } })
    assert.deepEqual([saved.server.port, saved.server.maxClients], [8765, 3])
    assert.equal(
      override.toFile({ ...running, server: { ...running.server, port: 9100 } }).server.port,
      9100,
    )
    assert.equal(override.toRunning(fromFile).server.port, 8765, 'replaced by the UI change')
  })
})
