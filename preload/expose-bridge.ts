import type { ContextBridge } from 'electron'
import {
  eventChannels,
  invokeChannels,
  type BridgeApi,
  type EventName,
  type OperationName,
  type Unsubscribe,
} from '../common/contract'

export type BridgeContextBridge = Pick<ContextBridge, 'exposeInMainWorld'>

type RendererListener = (event: unknown, payload: unknown) => void

/** The part of Electron's `ipcRenderer` the bridge is built on. */
export interface BridgeIpcRenderer {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: RendererListener): unknown
  removeListener(channel: string, listener: RendererListener): unknown
}

/** Electron prefixes errors thrown in main; the UI shows the message a person can act on. */
const REMOTE_PREFIX = /^Error invoking remote method '[^']*': (?:Error: )?/

/**
 * Builds `window.bridge`: one named function per contract operation and one `onX` per event,
 * each bound to its own channel. The renderer never gets `ipcRenderer` or a channel name.
 */
export function createBridgeApi(ipc: BridgeIpcRenderer): BridgeApi {
  const api: Record<string, unknown> = { kind: 'electron' }
  for (const [operation, channel] of Object.entries(invokeChannels) as Array<
    [OperationName, string]
  >) {
    api[operation] = async (...args: unknown[]) => {
      try {
        return await ipc.invoke(channel, ...args)
      } catch (error) {
        const message = String((error as Error).message ?? error).replace(REMOTE_PREFIX, '')
        throw new Error(message, { cause: error })
      }
    }
  }
  for (const [event, channel] of Object.entries(eventChannels) as Array<[EventName, string]>) {
    api[subscriptionName(event)] = (listener: (payload: unknown) => void): Unsubscribe => {
      // The IPC event object carries `sender` (ipcRenderer itself): never hand it over.
      const relay: RendererListener = (_event, payload) => listener(payload)
      ipc.on(channel, relay)
      return () => {
        ipc.removeListener(channel, relay)
      }
    }
  }
  return Object.freeze(api) as unknown as BridgeApi
}

/** `frames` → `onFrames`. */
export function subscriptionName(event: EventName): string {
  return `on${event.charAt(0).toUpperCase()}${event.slice(1)}`
}

/** Exposes the bridge as `window.bridge` in the page's isolated world. */
export function exposeBridge(contextBridge: BridgeContextBridge, ipc: BridgeIpcRenderer): void {
  contextBridge.exposeInMainWorld('bridge', createBridgeApi(ipc))
}
