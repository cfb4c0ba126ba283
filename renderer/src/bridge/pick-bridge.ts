import { ADMIN_PATH } from '../../../common/admin-wire'
import type { BridgeApi } from '../../../common/contract'
import { adminSocketUrl, takeAdminToken, type TokenPlace } from './admin-token'
import { createWebBridge, type AdminConnection } from './web-bridge'

export interface PickedBridge {
  bridge: BridgeApi
  /** Only in the browser: the admin WebSocket's state, for the status bar and the banners. */
  connection: AdminConnection | null
}

type PageWindow = Pick<Window, 'location' | 'history' | 'sessionStorage' | 'addEventListener'> & {
  bridge?: BridgeApi
}

/** The Electron preload's bridge when it is there, else the admin WebSocket of headless mode. */
export function pickBridge(win: PageWindow = window): PickedBridge {
  if (win.bridge) return { bridge: win.bridge, connection: null }
  const place: TokenPlace = {
    location: win.location,
    history: win.history,
    storage: win.sessionStorage,
  }
  const socketUrl = (token: string | null) => adminSocketUrl(win.location.href, ADMIN_PATH, token)
  const bridge = createWebBridge({ url: socketUrl(takeAdminToken(place)) })
  // A new `ui:` address pasted into this tab only changes the hash: no reload, so listen for it.
  win.addEventListener('hashchange', () => {
    if (!new URLSearchParams(win.location.hash.slice(1)).has('adminToken')) return
    bridge.connection.reconnect(socketUrl(takeAdminToken(place)))
  })
  return { bridge, connection: bridge.connection }
}
