// Sandboxed preload: built as CommonJS, may require only `electron` (electron.vite.config.ts).
import { contextBridge, ipcRenderer } from 'electron'
import { exposeBridge } from './expose-bridge'

exposeBridge(contextBridge, ipcRenderer)
