import { randomBytes } from 'node:crypto'
import { chmod, readFile, writeFile } from 'node:fs/promises'

/** 24 random bytes, URL-safe: the admin channel can change every setting. */
export const newAdminToken = (): string => randomBytes(24).toString('base64url')

export interface AdminTokenSource {
  token: string
  /** Where it is kept; null when it could not be (then it lasts until this process ends). */
  file: string | null
  problem?: string
}

/** `lab.json` → `lab.json.admin-token`, beside the settings file it belongs to. */
export const adminTokenPath = (configPath: string): string => `${configPath}.admin-token`

/**
 * The admin token of `--ui`, made once and kept in its own owner-only file beside the settings
 * file, so the printed `ui:` address works after every restart. Not in the settings file
 * itself: that file is exported and copied to other PCs, and a secret should not travel with it.
 * A file that cannot be read or written is reported, never fatal: the token then lasts one run.
 */
export async function loadAdminToken(file: string): Promise<AdminTokenSource> {
  try {
    const kept = (await readFile(file, 'utf8')).trim()
    if (kept.length >= 16) {
      // Tightened in case it was copied with looser rights; best effort (Windows ignores modes).
      await chmod(file, 0o600).catch(() => undefined)
      return { token: kept, file }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      return { token: newAdminToken(), file: null, problem: `${file}: ${(error as Error).message}` }
    }
  }
  const token = newAdminToken()
  try {
    await writeFile(file, token + '\n', { mode: 0o600 })
    await chmod(file, 0o600)
    return { token, file }
  } catch (error) {
    return { token, file: null, problem: `${file}: ${(error as Error).message}` }
  }
}
