import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Engine } from '../../../common/engine-api'
import type { Settings } from '../../../common/settings-schema'
import { parseSettingsText, settingsText } from '../../core/settings/settings-file'
import { applySettings } from './apply-settings'
import type { PortOverride } from './port-override'
import { watchFile } from './watch-file'

export interface ConfigSyncOptions {
  path: string
  /** The text of the file as it was read at start. */
  initialText: string
  /** What happened, in words, for stderr and the UI. */
  report: (level: 'info' | 'warning' | 'error', message: string) => void
  write: (path: string, text: string) => Promise<void>
  /** `--port`: what the engine runs differs from what the file says. */
  override?: PortOverride
  quietMs?: number
}

export interface ConfigSync {
  /** The engine's `persist`: writes unless the file changed on disk since it was last read. */
  persist(settings: Settings): Promise<void>
  /** Watches the file and applies hand edits to the engine. */
  start(engine: Engine): void
  stop(): void
  /** Resolves once every change seen so far has been handled (for tests and shutdown). */
  idle(): Promise<void>
}

const readText = (path: string): Promise<string | null> =>
  readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null
    throw error
  })

/**
 * Keeps headless mode's settings file and the running engine in step both ways. The file is
 * the user's: a change made by hand is loaded (when valid), and a change from the UI is never
 * written over a file that changed since Serial Bridge last read or wrote it.
 */
export function createConfigSync(options: ConfigSyncOptions): ConfigSync {
  const name = basename(options.path)
  const override = options.override ?? { toRunning: (s: Settings) => s, toFile: (s: Settings) => s }
  let lastKnown: string | null = options.initialText
  let engine: Engine | null = null
  let applying = false
  let queue: Promise<void> = Promise.resolve()
  let watch: { stop(): void } | null = null

  const serial = (task: () => Promise<void>): Promise<void> => {
    const run = queue.then(task)
    queue = run.catch(() => undefined)
    return run
  }

  const reload = (): Promise<void> =>
    serial(async () => {
      if (!engine) return
      let text: string | null
      try {
        text = await readText(options.path)
      } catch (error) {
        options.report('error', `${name} could not be read: ${(error as Error).message}`)
        return
      }
      if (text === null || text === lastKnown) return
      const parsed = parseSettingsText(text, name)
      if (!parsed.ok) {
        options.report(
          'error',
          `${name} was changed but cannot be used (${parsed.errors.join('; ')}). The running ` +
            'settings are kept, and changes from the UI are not saved until the file is fixed.',
        )
        return
      }
      applying = true
      let errors: string[]
      try {
        errors = await applySettings(engine, override.toRunning(parsed.value))
      } finally {
        applying = false
      }
      lastKnown = text
      if (errors.length === 0) options.report('info', `${name} was changed on disk: loaded it.`)
      else options.report('warning', `${name} was loaded, but: ${errors.join('; ')}`)
    })

  return {
    async persist(settings) {
      // While a hand edit is applied, the file already says what the engine is being told.
      if (applying) return
      const onDisk = await readText(options.path)
      if (onDisk !== null && onDisk !== lastKnown) {
        void reload()
        throw new Error(
          `${name} was changed on disk after Serial Bridge last read it, so this change was ` +
            'not written over it. The file is being loaded instead: make the change again if ' +
            'it is still needed.',
        )
      }
      const text = settingsText(override.toFile(settings))
      await options.write(options.path, text)
      lastKnown = text
    },
    start(running) {
      engine = running
      watch = watchFile({
        path: options.path,
        quietMs: options.quietMs,
        onChange: () => void reload(),
        onError: (error) =>
          options.report('warning', `${name} is no longer watched: ${error.message}`),
      })
    },
    stop() {
      watch?.stop()
      watch = null
      engine = null
    },
    idle: () => queue,
  }
}
