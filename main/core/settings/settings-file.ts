import { constants } from 'node:fs'
import { open, readdir, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import type { Settings } from '../../../common/settings-schema'
import { validateSettings, type Result } from '../../../common/validation'
import { parseStrictJson } from '../protocol/strict-json'

/** The largest settings file read: far above any real one, far below what would hurt to read. */
export const MAX_SETTINGS_FILE_BYTES = 16 * 1024 * 1024

/** Settings hold tokens: only their owner may read the file (and its temporary copies). */
export const SETTINGS_FILE_MODE = 0o600

/** Reads and checks a settings file (the headless config file, or an export from the app). */
export async function readSettingsFile(path: string): Promise<Result<Settings>> {
  const read = await readSettingsFileText(path)
  return read.ok ? { ok: true, value: read.value.settings } : read
}

/** The same, with the text as read: headless mode compares it before every write. */
export async function readSettingsFileText(
  path: string,
): Promise<Result<{ settings: Settings; text: string }>> {
  const read = await readSettingsText(path)
  if (!read.ok) return read
  if (read.value === null) return { ok: false, errors: [`${path}: file not found`] }
  const text = read.value
  const checked = parseSettingsText(text, path)
  return checked.ok ? { ok: true, value: { settings: checked.value, text } } : checked
}

/**
 * The text of a settings file, or null when there is none. Only a regular file of at most
 * MAX_SETTINGS_FILE_BYTES is read: a FIFO would block forever, `/dev/zero` never ends.
 */
export async function readSettingsText(path: string): Promise<Result<string | null>> {
  const fail = (why: string): Result<string | null> => ({ ok: false, errors: [`${path}: ${why}`] })
  let handle
  try {
    // Non-blocking, so opening a FIFO with no writer returns at once (and is refused below).
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, value: null }
    return fail((error as Error).message)
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) {
      const kind = info.isDirectory()
        ? 'a directory'
        : info.isFIFO()
          ? 'a FIFO (named pipe)'
          : info.isSocket()
            ? 'a socket'
            : 'a device'
      return fail(`is ${kind}, not a regular file: give the path of a JSON settings file`)
    }
    if (info.size > MAX_SETTINGS_FILE_BYTES) return fail(tooLarge())
    // Read at most one byte past the limit, in case the file grew since the stat.
    const buffer = Buffer.alloc(Math.min(info.size, MAX_SETTINGS_FILE_BYTES) + 1)
    let length = 0
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
      if (length === buffer.length) break
    }
    if (length > MAX_SETTINGS_FILE_BYTES) return fail(tooLarge())
    return { ok: true, value: buffer.toString('utf8', 0, length) }
  } catch (error) {
    return fail((error as Error).message)
  } finally {
    await handle.close()
  }
}

function tooLarge(): string {
  return `is larger than ${MAX_SETTINGS_FILE_BYTES / 1024 / 1024} MiB, the most a settings file may be`
}

/**
 * Parses the JSON of a settings file or the app's store, the one reader for both. A text editor
 * may save a byte order mark, which JSON.parse refuses: it is not part of the settings.
 */
export function parseJsonText(text: string): Result<unknown> {
  const body = text.replace(/^\uFEFF/, '')
  if (body.trim() === '') return { ok: false, errors: ['the file is empty'] }
  const parsed = parseStrictJson(body)
  if (parsed.ok) return parsed
  const why = parsed.problem === 'syntax' ? `not valid JSON (${parsed.message})` : parsed.message
  return { ok: false, errors: [why] }
}

export function parseSettingsText(text: string, path = 'settings'): Result<Settings> {
  const parsed = parseJsonText(text)
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => `${path}: ${e}`) }
  const value = parsed.value
  const checked = validateSettings(value)
  return checked.ok ? checked : { ok: false, errors: checked.errors.map((e) => `${path}: ${e}`) }
}

/**
 * Writes to a temporary file and renames it over the old one: a crash leaves old or new, never
 * half. Both are owner-only. The error names the file.
 */
export async function writeSettingsFile(path: string, settings: Settings): Promise<void> {
  await writeSettingsText(path, settingsText(settings))
}

/** The text of a settings file, as the app exports it and headless mode saves it. */
export const settingsText = (settings: Settings): string => JSON.stringify(settings, null, 2) + '\n'

/** `writeSettingsFile` for text already made (headless mode compares it with the file first). */
export async function writeSettingsText(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(path, text, {
      encoding: 'utf8',
      mode: SETTINGS_FILE_MODE,
    })
  } catch (error) {
    throw new Error(`cannot write ${path}: ${(error as Error).message}`, { cause: error })
  }
}

/**
 * The temporary files a save killed mid-write leaves next to `path`: write-file-atomic's
 * (`config.json.123456789`, headless mode) and atomically's (`settings.json.tmp-…`, conf and
 * electron-store in the desktop app). They hold tokens too.
 */
export function isSaveLeftover(path: string, name: string): boolean {
  const base = basename(path)
  if (!name.startsWith(base + '.')) return false
  return /^(\d+|tmp-\d{10}[0-9a-f]{6})$/.test(name.slice(base.length + 1))
}

/** Removes those leftovers; run at start, before anything saves. Returns the names removed. */
export async function removeSaveLeftovers(path: string): Promise<string[]> {
  const dir = dirname(path)
  const names = await readdir(dir).catch(() => [] as string[])
  const leftovers = names.filter((name) => isSaveLeftover(path, name))
  for (const name of leftovers) await unlink(join(dir, name)).catch(() => undefined)
  return leftovers
}

/** Moves an unreadable file aside as `<path>.bad` so nothing is lost, and returns where it went. */
export async function keepAside(path: string): Promise<string> {
  const aside = `${path}.bad`
  await rename(path, aside)
  return aside
}
