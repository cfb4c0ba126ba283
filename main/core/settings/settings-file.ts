import { readFile, rename } from 'node:fs/promises'
import writeFileAtomic from 'write-file-atomic'
import type { Settings } from './settings-schema'
import { validateSettings, type Validation } from './validate-settings'

/** Reads and checks a settings file (the headless config file, or an export from the app). */
export async function readSettingsFile(path: string): Promise<Validation<Settings>> {
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
  return parseSettingsText(text, path)
}

export function parseSettingsText(text: string, path = 'settings'): Validation<Settings> {
  if (text.trim() === '') return { ok: false, errors: [`${path}: the file is empty`] }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { ok: false, errors: [`${path}: not valid JSON (${(error as Error).message})`] }
  }
  const checked = validateSettings(value)
  return checked.ok ? checked : { ok: false, errors: checked.errors.map((e) => `${path}: ${e}`) }
}

/** Writes to a temporary file and renames it over the old one: a crash leaves old or new, never half. */
export async function writeSettingsFile(path: string, settings: Settings): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(settings, null, 2) + '\n', { encoding: 'utf8' })
}

/** Moves an unreadable file aside as `<path>.bad` so nothing is lost, and returns where it went. */
export async function keepAside(path: string): Promise<string> {
  const aside = `${path}.bad`
  await rename(path, aside)
  return aside
}
