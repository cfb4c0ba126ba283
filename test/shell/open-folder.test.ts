import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createBridgeOperations } from '../../main/admin/bridge-operations'
import { createOpenFolder } from '../../main/shell/open-folder'
import { startEngine } from '../helpers/engine-fixture'
import { tempRecordings } from '../helpers/recordings'

/** Electron's `shell.openPath` as the docs describe it: '' on success, else the reason. */
function shellStandIn(answer: string) {
  const opened: string[] = []
  return {
    opened,
    shell: {
      openPath: async (path: string) => {
        opened.push(path)
        return answer
      },
    },
  }
}

describe('open the recordings folder (desktop)', () => {
  it('opens the port’s folder inside the recordings folder through shell.openPath', async () => {
    const folder = tempRecordings('open')
    const bridge = await startEngine(
      { ports: [{ id: 'demo', path: 'sim:demo', record: { enabled: true } }] },
      { recordingsDir: folder.dir },
    )
    try {
      const stand = shellStandIn('')
      const operations = createBridgeOperations(bridge.engine, {
        getPreferences: () => ({ startAtLogin: false, startMinimized: false, closeToTray: true }),
        setPreferences: () => ({ startAtLogin: false, startMinimized: false, closeToTray: true }),
        saveText: async () => null,
        openFolder: createOpenFolder(stand.shell),
      })
      assert.deepEqual(await operations.openRecordingsFolder('demo'), {
        ok: true,
        value: undefined,
      })
      assert.deepEqual(await operations.openRecordingsFolder(null), { ok: true, value: undefined })
      assert.deepEqual(stand.opened, [`${folder.dir}/demo`, folder.dir])
      assert.deepEqual(await operations.downloadRecording('demo/x.jsonl'), {
        ok: false,
        errors: ['cannot download from here'],
      })
    } finally {
      await bridge.stop()
      folder.dispose()
    }
  })

  it('says why when the shell could not open it', async () => {
    const stand = shellStandIn('Failed to open path')
    const open = createOpenFolder(stand.shell)
    assert.deepEqual(await open('/nowhere'), {
      ok: false,
      errors: ['could not open /nowhere: Failed to open path'],
    })
  })
})
