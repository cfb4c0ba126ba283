import { runHeadless } from '../headless/run-headless'

/** The part of Electron's `app` the installed app's headless mode uses. */
export interface HeadlessApp {
  disableHardwareAcceleration(): void
  getPath(name: 'userData'): string
  exit(code: number): void
}

export interface HeadlessAppOptions {
  argv: string[]
  /** The built UI inside the package, for --ui. */
  uiDir: string
  /** Where SIGINT and SIGTERM arrive (process). */
  signals: Pick<NodeJS.Process, 'once'>
  stdout(text: string): void
  stderr(text: string): void
}

/**
 * `"Serial Bridge.exe" --headless --config FILE`: the installed app as the bridge alone, for a
 * lab PC where nobody logs in (a Windows service, docs/desktop.md). No window, no tray, no GPU;
 * the same engine and settings file as `npm run headless`, and the app's own data folder.
 */
export function runHeadlessApp(app: HeadlessApp, options: HeadlessAppOptions): Promise<number> {
  app.disableHardwareAcceleration()
  const stopRequested = new Promise<void>((resolve) => {
    options.signals.once('SIGINT', () => resolve())
    options.signals.once('SIGTERM', () => resolve())
  })
  return runHeadless(options.argv, {
    stdout: options.stdout,
    stderr: options.stderr,
    stopRequested,
    dataDir: app.getPath('userData'),
    uiDir: async () => options.uiDir,
  }).then(
    (code) => {
      app.exit(code)
      return code
    },
    (error: unknown) => {
      options.stderr(`fatal: ${(error as Error).stack ?? String(error)}\n`)
      app.exit(1)
      return 1
    },
  )
}
