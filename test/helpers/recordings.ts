import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compareRecordingNames } from '../../main/core/recording/file-names'
import type { RecordLine } from '../../main/core/recording/record-format'
import { emptyStats, readRecords, type ReadStats } from '../../main/core/recording/recording-reader'

/** A fresh recordings folder under the temp dir; `dispose()` removes it. */
export function tempRecordings(name = 'rec'): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), `sb-${name}-`))
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The recording files of one port folder, oldest first. */
export function recordingFiles(root: string, folder: string): string[] {
  let names: string[]
  try {
    names = readdirSync(join(root, folder)).filter((n) => n.endsWith('.jsonl'))
  } catch {
    return []
  }
  return names.sort(compareRecordingNames).map((n) => join(root, folder, n))
}

/** Every record of a port's files, in order, read by the project's own tolerant reader. */
export async function readPortRecords(
  root: string,
  folder: string,
): Promise<{ records: RecordLine[]; stats: ReadStats; files: string[] }> {
  const stats = emptyStats()
  const records: RecordLine[] = []
  const files = recordingFiles(root, folder)
  for (const file of files) for await (const r of readRecords(file, stats)) records.push(r)
  return { records, stats, files }
}
