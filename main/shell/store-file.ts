import type { AppPreferences } from '../../common/contract'
import { appPreferencesSchema, defaultAppPreferences } from '../admin/operation-args'
import { keepAside, parseJsonText, readSettingsText } from '../core/settings/settings-file'
import { defaultSettings, type Settings } from '../../common/settings-schema'
import { validateSettings } from '../../common/validation'

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
  const text = await readSettingsText(path)
  if (text.ok && text.value === null) return { state: 'missing', stored: defaults() }
  // Unreadable (not a regular file, too large, no permission) counts as corrupt: kept, not fatal.
  const read = text.ok
    ? readStoredState(text.value!)
    : { ok: false as const, problem: text.errors.join('; ') }
  if (read.ok) return { state: 'ok', stored: read.value }
  const aside = await keepAside(path)
  return { state: 'kept-aside', stored: defaults(), aside, problem: read.problem }
}

function readStoredState(
  text: string,
): { ok: true; value: StoredState } | { ok: false; problem: string } {
  const parsed = parseJsonText(text)
  if (!parsed.ok) return { ok: false, problem: parsed.errors.join('; ') }
  const raw = parsed.value
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
