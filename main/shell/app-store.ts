import { join } from 'node:path'
import type { AppPreferences, Notice } from '../../common/contract'
import type { Settings } from '../../common/settings-schema'
import { removeSaveLeftovers, SETTINGS_FILE_MODE } from '../core/settings/settings-file'
import { checkStoreFile } from './store-file'

/** The part of electron-store (a `conf` store) used here. */
export interface KeyValueStore {
  set(key: string, value: unknown): void
  readonly path: string
}

export type CreateStore = (options: {
  cwd: string
  name: string
  /** Owner-only: the settings hold tokens (conf's option, electron-store passes it on). */
  configFileMode: number
}) => KeyValueStore

export interface AppStore {
  readonly settings: Settings
  /** Set when the file was unreadable and defaults were loaded: the user is told. */
  readonly notice: Notice | null
  saveSettings(settings: Settings): void
  preferences(): AppPreferences
  setPreferences(input: Partial<AppPreferences>): AppPreferences
}

export const STORE_NAME = 'settings'

/** Opens `<dir>/settings.json`, checked against the engine's schema first (see store-file). */
export async function openAppStore(dir: string, createStore: CreateStore): Promise<AppStore> {
  const file = join(dir, `${STORE_NAME}.json`)
  // Nothing saves yet (one instance per profile): any temporary file is from a save that died.
  await removeSaveLeftovers(file)
  const check = await checkStoreFile(file)
  const store = createStore({ cwd: dir, name: STORE_NAME, configFileMode: SETTINGS_FILE_MODE })
  let { settings, preferences } = check.stored
  const notice: Notice | null =
    check.state === 'kept-aside'
      ? {
          level: 'warning',
          message:
            `The saved settings could not be read (${check.problem}). ` +
            `Serial Bridge started with default settings; the old file was kept as ${check.aside}.`,
        }
      : null
  if (check.state !== 'ok') {
    store.set('settings', settings)
    store.set('preferences', preferences)
  }
  return {
    get settings() {
      return settings
    },
    notice,
    saveSettings(next) {
      // Throws when the file cannot be written; the engine then refuses the change.
      store.set('settings', next)
      settings = next
    },
    preferences: () => ({ ...preferences }),
    setPreferences(input) {
      const next = { ...preferences, ...input }
      // As with settings: only what was written is kept.
      store.set('preferences', next)
      preferences = next
      return { ...preferences }
    },
  }
}
