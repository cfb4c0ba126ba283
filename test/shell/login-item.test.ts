import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { applyLoginItem } from '../../main/shell/login-item'
import { FakeApp } from './electron-stand-in'

describe('login item', () => {
  it('registers and removes the login item on Windows', () => {
    const app = new FakeApp()
    assert.deepEqual(applyLoginItem(app, { startAtLogin: true }, { platform: 'win32' }), {
      applied: true,
    })
    applyLoginItem(app, { startAtLogin: false }, { platform: 'win32' })
    assert.deepEqual(app.loginItemSettings, [{ openAtLogin: true }, { openAtLogin: false }])
  })

  it('points the login item at the portable exe the user has, not its temp copy', () => {
    const app = new FakeApp()
    applyLoginItem(
      app,
      { startAtLogin: true },
      { platform: 'win32', portableExecutable: 'D:\\Tools\\Serial-Bridge-portable.exe' },
    )
    assert.deepEqual(app.loginItemSettings, [
      { openAtLogin: true, path: 'D:\\Tools\\Serial-Bridge-portable.exe' },
    ])
  })

  it('does nothing where Electron has no login items (Linux)', () => {
    const app = new FakeApp()
    assert.deepEqual(applyLoginItem(app, { startAtLogin: true }, { platform: 'linux' }), {
      applied: false,
    })
    assert.deepEqual(app.loginItemSettings, [])
  })
})
