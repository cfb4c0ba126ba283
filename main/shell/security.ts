import type { WebPreferences } from 'electron'

/**
 * The window's security settings, one rule per line (Electron security checklist:
 * https://www.electronjs.org/docs/latest/tutorial/security).
 */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
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
  }
}

export interface PreventableEvent {
  preventDefault(): void
}

/** The part of `webContents` the guards attach to. */
export interface GuardedContents {
  on(event: 'will-navigate', listener: (event: PreventableEvent) => void): unknown
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown
  setWindowOpenHandler(handler: () => { action: 'deny' }): void
}

/** The UI is one page: it never navigates, opens windows or embeds webviews. */
export function guardWebContents(contents: GuardedContents): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

/** The part of a `session` whose permission answers are set here. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void
}

/**
 * Camera, microphone, notifications, geolocation...: the UI needs none, so every request is
 * refused. (Copy buttons fall back to `execCommand('copy')`, which needs no permission.)
 */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}
