import { writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'

/** Asks where to save; resolves to the chosen path, or null when cancelled. */
export type AskSavePath = (defaultPath: string) => Promise<string | null>

/**
 * `saveText` for the desktop: a save dialog, then the file. The suggested name comes from the
 * renderer, so only its last path segment is used.
 */
export function createSaveText(
  askSavePath: AskSavePath,
  defaultDir: () => string,
): (suggestedName: string, text: string) => Promise<string | null> {
  return async (suggestedName, text) => {
    const name = basename(suggestedName.replace(/\\/g, '/')) || 'serial-bridge.txt'
    const path = await askSavePath(join(defaultDir(), name))
    if (!path) return null
    await writeFile(path, text, 'utf8')
    return path
  }
}
