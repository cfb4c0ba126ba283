import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createSenderCheck } from '../../main/ipc/sender-check'
import { RENDERER_URL } from '../../main/shell/renderer-protocol'

describe('IPC sender check', () => {
  it('accepts only pages of the built renderer on app://bridge', () => {
    const trusted = createSenderCheck(RENDERER_URL)
    assert.equal(trusted({ url: 'app://bridge/index.html' }), true)
    assert.equal(trusted({ url: 'app://bridge/index.html#/ports' }), true)
    assert.equal(trusted({ url: 'app://evil/index.html' }), false)
    assert.equal(trusted({ url: 'https://bridge/index.html' }), false)
    assert.equal(trusted({ url: 'file:///C:/index.html' }), false)
    assert.equal(trusted({ url: 'not a url' }), false)
    assert.equal(trusted({ url: '' }), false)
    assert.equal(trusted(null), false, 'a frame that has gone away')
  })

  it('accepts the dev server origin only, any path', () => {
    const trusted = createSenderCheck('http://localhost:5173')
    assert.equal(trusted({ url: 'http://localhost:5173/' }), true)
    assert.equal(trusted({ url: 'http://localhost:5173/src/x.html' }), true)
    assert.equal(trusted({ url: 'http://localhost:5174/' }), false)
    assert.equal(trusted({ url: 'http://127.0.0.1:5173/' }), false)
  })

  it('for file: pages, accepts the same file only', () => {
    const trusted = createSenderCheck('file:///opt/app/out/renderer/index.html')
    assert.equal(trusted({ url: 'file:///opt/app/out/renderer/index.html?x=1' }), true)
    assert.equal(trusted({ url: 'file:///tmp/downloaded.html' }), false)
  })
})
