import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Settings } from '../../../common/settings-schema'
import { startEngine } from '../../helpers/engine-fixture'

/**
 * Changes that arrive together (two tools, or a tool and the UI) each read the settings in
 * force and commit what they made of them: made one at a time, neither undoes the other, in
 * force or in the file.
 */
describe('settings changes at the same moment', () => {
  test('the second change starts from the first one, not from what was in force before it', async () => {
    const saved: Settings[] = []
    let release: () => void = () => undefined
    const bridge = await startEngine(
      {},
      {
        // A slow disk: the first save is still being written when the second change comes.
        persist: async (next) => {
          saved.push(next)
          if (saved.length === 1) await new Promise<void>((resolve) => (release = resolve))
        },
      },
    )
    try {
      const first = bridge.engine.updateServerSettings({ maxClients: 10 })
      const second = bridge.engine.updateServerSettings({ clientBufferBytes: 65_536 })
      while (saved.length === 0) await new Promise((r) => setImmediate(r))
      release()
      const answers = await Promise.all([first, second])
      assert.deepEqual(
        answers.map((r) => r.ok),
        [true, true],
      )
      const { maxClients, clientBufferBytes } = bridge.engine.getSettings().server
      assert.deepEqual(
        { maxClients, clientBufferBytes },
        { maxClients: 10, clientBufferBytes: 65_536 },
      )
      const last = saved.at(-1)!.server
      assert.deepEqual(
        { maxClients: last.maxClients, clientBufferBytes: last.clientBufferBytes },
        { maxClients: 10, clientBufferBytes: 65_536 },
        'the last save holds both',
      )
    } finally {
      release()
      await bridge.stop()
    }
  })
})
