import type { BrowserWindowConstructorOptions } from 'electron'
import { secureWebPreferences } from './security'

/** The UI is laid out for this size (a common lab-PC screen leaves room for the taskbar). */
export const WINDOW_SIZE = { width: 1024, height: 700 } as const

export interface MainWindowOptions {
  preload: string
  /** False when starting minimized to the tray. */
  show: boolean
  icon?: string
}

export function mainWindowOptions(options: MainWindowOptions): BrowserWindowConstructorOptions {
  return {
    ...WINDOW_SIZE,
    minWidth: 800,
    minHeight: 560,
    title: 'Serial Bridge',
    show: options.show,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: secureWebPreferences(options.preload),
  }
}

/** The part of a `BrowserWindow` used to show it and to keep it in the tray. */
export interface ShellWindow {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown
  hide(): void
  show(): void
  focus(): void
  restore(): void
  isMinimized(): boolean
}

/**
 * Closing the window hides it while `shouldHide()` says so (the close-to-tray preference,
 * and not while quitting); the server keeps running.
 */
export function hideOnClose(win: ShellWindow, shouldHide: () => boolean): void {
  win.on('close', (event) => {
    if (!shouldHide()) return
    event.preventDefault()
    win.hide()
  })
}

/** Brings the window forward from the tray, the taskbar or behind other windows. */
export function revealWindow(win: ShellWindow): void {
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}
