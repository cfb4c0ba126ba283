import { lstat, readdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { parseRecordingFileName } from './file-names'
import { portFolders } from './recordings-list'

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * `keepDays`: deletes recordings (and their CSV exports) last written more than that many days
 * ago. Only files named like recordings, inside port folders, never one being written.
 */
export async function sweepOldRecordings(
  root: string,
  keepDays: number,
  now: number,
  live: ReadonlySet<string>,
): Promise<string[]> {
  const removed: string[] = []
  const cutoff = now - keepDays * DAY_MS
  for (const { path: dir } of await portFolders(root)) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const base = name.endsWith('.csv') ? name.slice(0, -4) + '.jsonl' : name
      if (!parseRecordingFileName(base)) continue
      const path = join(dir, name)
      if (live.has(path)) continue
      const info = await lstat(path).catch(() => null)
      if (!info?.isFile() || info.mtimeMs >= cutoff) continue
      await unlink(path).then(
        () => removed.push(path),
        () => undefined,
      )
    }
  }
  return removed
}
