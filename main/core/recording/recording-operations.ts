import { createWriteStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { finished } from 'node:stream/promises'
import type { RecordingList } from '../../../common/engine-api'
import type { Result } from '../../../common/validation'
import { exportCsv } from './csv-export'
import {
  deleteRecordingFile,
  FrameCountCache,
  listRecordings,
  type LiveFile,
} from './recordings-list'
import { fileInRoot, portFolderName, relativeName } from './recording-paths'

export interface OperationDeps {
  /** The recordings folder; throws when none is set. */
  root(): string
  /** The files being written now. */
  live(): Array<LiveFile & { path: string }>
}

const failure = (error: string): { ok: false; errors: string[] } => ({ ok: false, errors: [error] })

/**
 * What the UI does with recordings: list, delete, export to CSV, and find them on disk. Every
 * name from outside goes through `fileInRoot`, so nothing outside the recordings folder is
 * read, written or deleted.
 */
export function recordingOperations(deps: OperationDeps) {
  const counts = new FrameCountCache()

  const locate = (file: string, extensions: string[]): Result<string> => {
    let dir: string
    try {
      dir = deps.root()
    } catch (error) {
      return failure((error as Error).message)
    }
    const found = fileInRoot(dir, file, extensions)
    return found.ok ? { ok: true, value: found.path } : failure(found.error)
  }

  return {
    async listRecordings(): Promise<Result<RecordingList>> {
      let dir: string
      try {
        dir = deps.root()
      } catch (error) {
        return failure((error as Error).message)
      }
      const live = new Map(deps.live().map((f) => [f.path, f]))
      return { ok: true, value: { dir, files: await listRecordings(dir, live, counts) } }
    },

    async deleteRecording(file: string): Promise<Result> {
      const path = locate(file, ['.jsonl', '.csv'])
      if (!path.ok) return path
      try {
        await deleteRecordingFile(path.value, new Set(deps.live().map((f) => f.path)))
      } catch (error) {
        return failure(`${file}: ${(error as Error).message}`)
      }
      counts.forget(path.value)
      return { ok: true, value: undefined }
    },

    /** Streams the CSV to a `.part` file first, so a half-written export never looks done. */
    async exportRecordingCsv(file: string): Promise<Result<{ file: string; rows: number }>> {
      const path = locate(file, ['.jsonl'])
      if (!path.ok) return path
      const csv = path.value.replace(/\.jsonl$/, '.csv')
      const part = `${csv}.part`
      try {
        const out = createWriteStream(part)
        const { rows } = await exportCsv(path.value, out)
        out.end()
        await finished(out)
        await rename(part, csv)
        return { ok: true, value: { file: relativeName(deps.root(), csv), rows } }
      } catch (error) {
        await rm(part, { force: true })
        return failure(`${file}: ${(error as Error).message}`)
      }
    },

    async recordingsFolder(port: string | null): Promise<Result<string>> {
      try {
        const dir = deps.root()
        await mkdir(dir, { recursive: true })
        if (port === null) return { ok: true, value: dir }
        const folder = join(dir, portFolderName(port))
        const exists = await stat(folder).then(
          (s) => s.isDirectory(),
          () => false,
        )
        return { ok: true, value: exists ? folder : dir }
      } catch (error) {
        return failure((error as Error).message)
      }
    },

    recordingFilePath: (file: string): Result<string> => locate(file, ['.jsonl', '.csv']),

    /** A `replay.file`: absolute as given, or a recording's name inside the folder. */
    replayPath(file: string): string {
      if (isAbsolute(file)) return file
      const path = locate(file, ['.jsonl'])
      if (!path.ok) throw new Error(`replay.file ${path.errors[0]}`)
      return path.value
    },
  }
}
