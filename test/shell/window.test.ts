import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hideOnClose, mainWindowOptions, revealWindow, WINDOW_SIZE } from '../../main/shell/window'
import { secureWebPreferences } from '../../main/shell/security'
import { FakeWindow } from './electron-stand-in'

describe('main window', () => {
  it('is 1024×700 with the secure web preferences, hidden when starting minimized', () => {
    const options = mainWindowOptions({ preload: '/p.cjs', show: false, icon: '/icon.png' })
    assert.deepEqual(WINDOW_SIZE, { width: 1024, height: 700 })
    assert.equal(options.width, 1024)
    assert.equal(options.height, 700)
    assert.equal(options.show, false)
    assert.equal(options.icon, '/icon.png')
    assert.deepEqual(options.webPreferences, secureWebPreferences('/p.cjs'))
    assert.equal('icon' in mainWindowOptions({ preload: '/p.cjs', show: true }), false)
  })

  it('hides to the tray on close while the preference says so', () => {
    const win = new FakeWindow()
    let closeToTray = true
    hideOnClose(win, () => closeToTray)
    const hidden = win.requestClose()
    assert.equal(hidden.defaultPrevented, true)
    assert.equal(win.visible, false)

    win.show()
    closeToTray = false
    const closed = win.requestClose()
    assert.equal(closed.defaultPrevented, false, 'the window really closes')
  })

  it('reveals a minimized or hidden window and focuses it', () => {
    const win = new FakeWindow()
    win.hide()
    win.minimized = true
    revealWindow(win)
    assert.equal(win.minimized, false)
    assert.equal(win.visible, true)
    assert.equal(win.focused, true)
  })
})
