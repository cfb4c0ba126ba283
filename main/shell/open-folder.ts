import type { Shell } from 'electron'
import type { Result } from '../../common/validation'

/**
 * `openRecordingsFolder` for the desktop: Electron's `shell.openPath` shows the folder in
 * Explorer (or the platform's file manager). It answers an empty string on success, else why not.
 */
export function createOpenFolder(
  shell: Pick<Shell, 'openPath'>,
): (path: string) => Promise<Result> {
  return async (path) => {
    const error = await shell.openPath(path)
    return error
      ? { ok: false, errors: [`could not open ${path}: ${error}`] }
      : { ok: true, value: undefined }
  }
}
