import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { stopBeforeQuit } from '../../main/shell/lifecycle'
import { FakeApp } from './electron-stand-in'

describe('quitting', () => {
  it('holds the quit until the engine has stopped, then quits once more', async () => {
    const app = new FakeApp()
    let release!: () => void
    const stopped = new Promise<void>((resolve) => (release = resolve))
    let stopCalls = 0
    const isQuitting = stopBeforeQuit(app, () => {
      stopCalls += 1
      return stopped
    })
    assert.equal(isQuitting(), false)

    app.quit()
    assert.equal(isQuitting(), true, 'the window may close instead of hiding')
    assert.equal(stopCalls, 1)
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(app.quitCalls, 1, 'no second quit before the engine stopped')

    const finalQuit = new Promise<void>((resolve) => app.once('will-quit', () => resolve()))
    release()
    await finalQuit
    assert.equal(app.quitCalls, 2)
    assert.equal(stopCalls, 1, 'the engine is stopped once')
  })

  it('still quits when stopping fails', async () => {
    const app = new FakeApp()
    const errors: unknown[] = []
    const original = console.error
    console.error = (...args: unknown[]) => errors.push(args)
    try {
      stopBeforeQuit(app, () => Promise.reject(new Error('port stuck')))
      const requit = new Promise<void>((resolve) => {
        app.on('before-quit', () => app.quitCalls === 2 && resolve())
      })
      app.quit()
      await requit
    } finally {
      console.error = original
    }
    assert.equal(app.quitCalls, 2)
    assert.equal(errors.length, 1)
  })
})
