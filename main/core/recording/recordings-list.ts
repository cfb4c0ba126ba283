import { open, readdir, lstat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { RecordingFile } from '../../../common/engine-api'
import { compareRecordingNames, parseRecordingFileName } from './file-names'
import { isFrame, parseRecord, type EventRecord } from './record-format'
import { emptyStats, readRecords } from './recording-reader'
import { isSafeSegment, portOfFolder, relativeName } from './recording-paths'

/** The live file of a recording: the recorder knows its numbers better than the file does. */
export interface LiveFile {
  frames: number
  bytes: number
}

/** How far from each end a summary reads: enough for a line or two. */
const EDGE_BYTES = 64 * 1024

/** Every recording in the folder, per port folder, oldest first. Odd names are left out. */
export async function listRecordings(
  root: string,
  live: ReadonlyMap<string, LiveFile>,
  counts: FrameCountCache,
): Promise<RecordingFile[]> {
  const out: RecordingFile[] = []
  for (const { folder, path: dir } of await portFolders(root)) {
    const names = (await readdir(dir).catch(() => [] as string[]))
      .filter((n) => parseRecordingFileName(n))
      .sort(compareRecordingNames)
    for (const name of names) {
      const path = join(dir, name)
      const info = await lstat(path).catch(() => null)
      if (!info?.isFile()) continue
      const now = live.get(path)
      const edges = await readEdges(path, info.size)
      out.push({
        port: portOfFolder(folder),
        file: relativeName(root, path),
        start: edges.start ?? new Date(parseRecordingFileName(name)!.startMs).toISOString(),
        end: edges.end ?? info.mtime.toISOString(),
        bytes: now?.bytes ?? info.size,
        frames:
          now?.frames ?? edges.stopFrames ?? (await counts.count(path, info.size, info.mtimeMs)),
        recording: now !== undefined,
      })
    }
  }
  return out
}

/** The port folders of the recordings folder (real folders with names we make). */
export async function portFolders(root: string): Promise<Array<{ folder: string; path: string }>> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => [])
  return entries
    .filter((e) => e.isDirectory() && isSafeSegment(e.name))
    .map((e) => ({ folder: e.name, path: join(root, e.name) }))
}

/** The first record's time, the last record's time, and the frames a final `stop` line counts. */
async function readEdges(
  path: string,
  size: number,
): Promise<{ start?: string; end?: string; stopFrames?: number }> {
  const handle = await open(path, 'r').catch(() => null)
  if (!handle) return {}
  try {
    const head = await readAt(handle, 0, Math.min(size, EDGE_BYTES))
    const tailStart = Math.max(0, size - EDGE_BYTES)
    const tail = tailStart === 0 ? head : await readAt(handle, tailStart, size - tailStart)
    const first = head
      .split('\n')
      .map(parseRecord)
      .find((r) => r !== null)
    // The tail's first line may be cut by where the read began; a cut line does not parse.
    const lines = tail
      .split('\n')
      .map(parseRecord)
      .filter((r) => r !== null)
    const last = lines.at(-1)
    const stop = last && !isFrame(last) && (last as EventRecord).event === 'stop' ? last : null
    const frames = stop ? (stop as EventRecord).frames : undefined
    return {
      start: first?.ts,
      end: last?.ts,
      ...(typeof frames === 'number' ? { stopFrames: frames } : {}),
    }
  } finally {
    await handle.close()
  }
}

async function readAt(
  handle: Awaited<ReturnType<typeof open>>,
  position: number,
  length: number,
): Promise<string> {
  const buffer = Buffer.alloc(length)
  const { bytesRead } = await handle.read(buffer, 0, length, position)
  return buffer.toString('utf8', 0, bytesRead)
}

/**
 * Frame counts of files that did not end with a `stop` line (a crash), counted by reading them
 * once and kept while the file's size and time stay the same.
 */
export class FrameCountCache {
  private readonly known = new Map<string, { key: string; frames: number }>()

  async count(path: string, size: number, mtimeMs: number): Promise<number> {
    const key = `${size}:${mtimeMs}`
    const hit = this.known.get(path)
    if (hit?.key === key) return hit.frames
    let frames = 0
    for await (const record of readRecords(path, emptyStats())) if (isFrame(record)) frames += 1
    this.known.set(path, { key, frames })
    return frames
  }

  forget(path: string): void {
    this.known.delete(path)
  }
}

/** Deletes one recording (or its CSV); never the file being written. */
export async function deleteRecordingFile(path: string, live: ReadonlySet<string>): Promise<void> {
  if (live.has(path)) throw new Error('it is being recorded now: stop recording first')
  const info = await lstat(path)
  if (!info.isFile()) throw new Error('not a file')
  await unlink(path)
}
