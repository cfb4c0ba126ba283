import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  denyAllPermissions,
  guardWebContents,
  secureWebPreferences,
} from '../../main/shell/security'
import { FakeEvent, FakeGuardedContents, FakeSession } from './electron-stand-in'

describe('shell security', () => {
  it('gives the window isolated, sandboxed web preferences with the preload', () => {
    assert.deepEqual(secureWebPreferences('/app/out/preload/index.cjs'), {
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    })
  })

  it('prevents navigation and webviews, and denies new windows', () => {
    const contents = new FakeGuardedContents()
    guardWebContents(contents)
    const navigate = new FakeEvent()
    contents.emit('will-navigate', navigate, 'https://example.com/')
    assert.equal(navigate.defaultPrevented, true)
    const webview = new FakeEvent()
    contents.emit('will-attach-webview', webview)
    assert.equal(webview.defaultPrevented, true)
    assert.deepEqual(contents.windowOpenHandler?.(), { action: 'deny' })
  })

  it('refuses every permission request and check', () => {
    const session = new FakeSession()
    denyAllPermissions(session)
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const answers: boolean[] = []
      session.requestHandler?.({}, permission, (granted) => answers.push(granted))
      assert.deepEqual(answers, [false], permission)
      assert.equal(session.checkHandler?.({}, permission), false, permission)
    }
  })
})
