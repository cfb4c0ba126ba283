/** The part of Electron's `app` whose quit events are handled here. */
export interface QuitApp {
  on(event: 'before-quit', listener: () => void): unknown
  on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown
  quit(): void
}

/**
 * Holds the quit until `stop` has closed the ports and the server, so instruments are released
 * and tools see a clean close. Returns whether a quit is under way (the window then closes
 * instead of hiding to the tray).
 */
export function stopBeforeQuit(app: QuitApp, stop: () => Promise<void>): () => boolean {
  let quitting = false
  let stopped = false
  app.on('before-quit', () => {
    quitting = true
  })
  app.on('will-quit', (event) => {
    if (stopped) return
    quitting = true
    event.preventDefault()
    stop()
      .catch((error: unknown) => console.error('stopping the engine failed:', error))
      .finally(() => {
        stopped = true
        app.quit()
      })
  })
  return () => quitting
}
