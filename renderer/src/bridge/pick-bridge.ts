import { ADMIN_PATH } from '../../../common/admin-wire'
import type { BridgeApi } from '../../../common/contract'
import { adminSocketUrl, takeAdminToken } from './admin-token'
import { createWebBridge, type AdminConnection } from './web-bridge'

export interface PickedBridge {
  bridge: BridgeApi
  /** Only in the browser: the admin WebSocket's state, for the status bar. */
  connection: AdminConnection | null
  /** The browser was opened without an admin token: the UI says how to get one. */
  missingToken: boolean
}

/** The Electron preload's bridge when it is there, else the admin WebSocket of headless mode. */
export function pickBridge(win: Window & { bridge?: BridgeApi } = window): PickedBridge {
  if (win.bridge) return { bridge: win.bridge, connection: null, missingToken: false }
  const token = takeAdminToken({
    location: win.location,
    history: win.history,
    storage: win.sessionStorage,
  })
  const bridge = createWebBridge({ url: adminSocketUrl(win.location.href, ADMIN_PATH, token) })
  return { bridge, connection: bridge.connection, missingToken: token === null }
}
