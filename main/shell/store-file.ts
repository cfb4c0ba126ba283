import { readFile } from 'node:fs/promises'
import type { AppPreferences } from '../../preload/contract'
import { appPreferencesSchema, defaultAppPreferences } from '../core/admin/operation-args'
import { keepAside } from '../core/settings/settings-file'
import { defaultSettings, type Settings } from '../core/settings/settings-schema'
import { validateSettings } from '../core/settings/validate-settings'

/** What the app keeps in its store file: the engine's settings and the shell's preferences. */
export interface StoredState {
  settings: Settings
  preferences: AppPreferences
}

export type StoreFileCheck =
  | { state: 'missing'; stored: StoredState }
  | { state: 'ok'; stored: StoredState }
  | { state: 'kept-aside'; stored: StoredState; aside: string; problem: string }

/**
 * Reads the store file before electron-store does. A file that is not JSON or does not fit
 * the settings schema is renamed to `.bad` (kept for the user, never overwritten in place),
 * so the store starts from defaults and the caller tells the user.
 */
export async function checkStoreFile(path: string): Promise<StoreFileCheck> {
  const defaults = (): StoredState => ({
    settings: defaultSettings(),
    preferences: defaultAppPreferences(),
  })
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { state: 'missing', stored: defaults() }
    }
    throw error
  }
  const read = readStoredState(text)
  if (read.ok) return { state: 'ok', stored: read.value }
  const aside = await keepAside(path)
  return { state: 'kept-aside', stored: defaults(), aside, problem: read.problem }
}

function readStoredState(
  text: string,
): { ok: true; value: StoredState } | { ok: false; problem: string } {
  let raw: unknown
  try {
    // A text editor may save a byte order mark, which JSON.parse refuses.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${(error as Error).message})` }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problem: 'not a JSON object' }
  }
  const record = raw as Record<string, unknown>
  const settings = validateSettings(record.settings ?? {})
  if (!settings.ok) return { ok: false, problem: settings.errors.join('; ') }
  const preferences = appPreferencesSchema.partial().safeParse(record.preferences ?? {})
  if (!preferences.success) {
    return {
      ok: false,
      problem: preferences.error.issues
        .map((i) => `preferences.${i.path.join('.')}: ${i.message}`)
        .join('; '),
    }
  }
  return {
    ok: true,
    value: {
      settings: settings.value,
      preferences: { ...defaultAppPreferences(), ...preferences.data },
    },
  }
}
