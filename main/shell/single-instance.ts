/** The part of Electron's `app` used for the single-instance lock. */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean
  on(event: 'second-instance', listener: () => void): unknown
}

/**
 * One Serial Bridge per user: a second one could not bind the same port anyway. Returns false
 * in the second process (which should quit); the first is told through `onSecondLaunch`.
 */
export function claimSingleInstance(app: SingleInstanceApp, onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false
  app.on('second-instance', onSecondLaunch)
  return true
}
