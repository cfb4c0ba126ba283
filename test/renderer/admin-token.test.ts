import './dom-setup'
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import {
  ADMIN_TOKEN_KEY,
  adminSocketUrl,
  takeAdminToken,
} from '../../renderer/src/bridge/admin-token'
import { pickBridge } from '../../renderer/src/bridge/pick-bridge'
import { downloadText } from '../../renderer/src/bridge/web-bridge'
import { createBridgeStandIn } from './bridge-stand-in'

const place = () => ({
  location: window.location,
  history: window.history,
  storage: window.sessionStorage,
})

afterEach(() => {
  window.sessionStorage.clear()
  window.history.replaceState(null, '', 'http://127.0.0.1:8765/app/')
})

describe('admin token', () => {
  test('is taken from ?adminToken=, kept for the tab and removed from the visible URL', () => {
    window.history.replaceState(null, '', '/app/?adminToken=abc123&x=1#view')
    assert.equal(takeAdminToken(place()), 'abc123')
    assert.equal(window.location.href, 'http://127.0.0.1:8765/app/?x=1#view')
    assert.equal(window.sessionStorage.getItem(ADMIN_TOKEN_KEY), 'abc123')
    assert.equal(takeAdminToken(place()), 'abc123', 'a reload still has it')
  })

  test('is taken from #adminToken= too', () => {
    window.history.replaceState(null, '', '/app/#adminToken=from-hash')
    assert.equal(takeAdminToken(place()), 'from-hash')
    assert.equal(window.location.href, 'http://127.0.0.1:8765/app/')
  })

  test('the admin socket URL follows the page: ws for http, wss for https', () => {
    assert.equal(
      adminSocketUrl('http://192.168.1.20:8765/app/?x=1', '/admin', 't k'),
      'ws://192.168.1.20:8765/admin?adminToken=t+k',
    )
    assert.equal(
      adminSocketUrl('https://lab.example/app/', '/admin', null),
      'wss://lab.example/admin',
    )
  })
})

describe('pickBridge', () => {
  test("uses the preload's bridge when Electron put one on window", () => {
    const bridge = createBridgeStandIn()
    const picked = pickBridge(Object.assign(Object.create(window) as Window, { bridge }))
    assert.equal(picked.bridge, bridge)
    assert.equal(picked.connection, null)
  })
})

describe('downloadText', () => {
  test('offers the text as a download and returns the file name', async () => {
    const clicked: HTMLAnchorElement[] = []
    const onClick = (e: Event) => {
      clicked.push(e.target as HTMLAnchorElement)
      e.preventDefault()
    }
    document.addEventListener('click', onClick)
    try {
      assert.equal(await downloadText('sim-demo.txt', 'rx OK\n'), 'sim-demo.txt')
    } finally {
      document.removeEventListener('click', onClick)
    }
    assert.equal(clicked.length, 1)
    assert.equal(clicked[0]!.download, 'sim-demo.txt')
    assert.match(clicked[0]!.href, /^blob:/)
    assert.equal(clicked[0]!.isConnected, false, 'the link is removed again')
  })
})
