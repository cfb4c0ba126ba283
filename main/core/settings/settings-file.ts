import { readFile, rename } from 'node:fs/promises'
import writeFileAtomic from 'write-file-atomic'
import type { Settings } from '../../../common/settings-schema'
import { validateSettings, type Result } from '../../../common/validation'

/** Reads and checks a settings file (the headless config file, or an export from the app). */
export async function readSettingsFile(path: string): Promise<Result<Settings>> {
  const read = await readSettingsFileText(path)
  return read.ok ? { ok: true, value: read.value.settings } : read
}

/** The same, with the text as read: headless mode compares it before every write. */
export async function readSettingsFileText(
  path: string,
): Promise<Result<{ settings: Settings; text: string }>> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return {
      ok: false,
      errors: [
        code === 'ENOENT' ? `${path}: file not found` : `${path}: ${(error as Error).message}`,
      ],
    }
  }
  const checked = parseSettingsText(text, path)
  return checked.ok ? { ok: true, value: { settings: checked.value, text } } : checked
}

/**
 * Parses the JSON of a settings file or the app's store, the one reader for both. A text editor
 * may save a byte order mark, which JSON.parse refuses: it is not part of the settings.
 */
export function parseJsonText(text: string): Result<unknown> {
  const body = text.replace(/^\uFEFF/, '')
  if (body.trim() === '') return { ok: false, errors: ['the file is empty'] }
  try {
    return { ok: true, value: JSON.parse(body) }
  } catch (error) {
    return { ok: false, errors: [`not valid JSON (${(error as Error).message})`] }
  }
}

export function parseSettingsText(text: string, path = 'settings'): Result<Settings> {
  const parsed = parseJsonText(text)
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => `${path}: ${e}`) }
  const value = parsed.value
  const checked = validateSettings(value)
  return checked.ok ? checked : { ok: false, errors: checked.errors.map((e) => `${path}: ${e}`) }
}

/** The text of a settings file, as the app exports it and headless mode saves it. */
export const settingsText = (settings: Settings): string => JSON.stringify(settings, null, 2) + '\n'

/** Writes to a temporary file and renames it over the old one: a crash leaves old or new, never half. */
export async function writeSettingsText(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, text, { encoding: 'utf8' })
}

export async function writeSettingsFile(path: string, settings: Settings): Promise<void> {
  await writeSettingsText(path, settingsText(settings))
}

/** Moves an unreadable file aside as `<path>.bad` so nothing is lost, and returns where it went. */
export async function keepAside(path: string): Promise<string> {
  const aside = `${path}.bad`
  await rename(path, aside)
  return aside
}
