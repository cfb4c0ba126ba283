import type { AppPreferences } from '../../common/contract'

/** The part of Electron's `app` used for starting at login. */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string }): void
}

export interface LoginItemContext {
  platform: NodeJS.Platform
  /** electron-builder's portable exe runs from a temp copy; this is the file the user has. */
  portableExecutable?: string
}

/**
 * Registers (or removes) Serial Bridge as a login item. Electron supports this on Windows and
 * macOS only; elsewhere it does nothing and says so.
 */
export function applyLoginItem(
  app: LoginItemApp,
  preferences: Pick<AppPreferences, 'startAtLogin'>,
  context: LoginItemContext,
): { applied: boolean } {
  if (context.platform !== 'win32' && context.platform !== 'darwin') return { applied: false }
  app.setLoginItemSettings({
    openAtLogin: preferences.startAtLogin,
    ...(context.portableExecutable ? { path: context.portableExecutable } : {}),
  })
  return { applied: true }
}
