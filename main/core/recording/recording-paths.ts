import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { RecordingSettings } from '../../../common/settings-schema'

/**
 * Where recordings go, and the one check every path into that folder passes: names come from
 * port ids and from clients (download, delete, replay), and none may leave the folder.
 */

/** `recording.dir` as an absolute folder: relative to the parent of the host's default. */
export function recordingsRoot(settings: RecordingSettings, hostDefault: string | null): string {
  if (settings.dir === null) {
    if (hostDefault === null) throw new Error('no recordings folder is set: set recording.dir')
    return resolve(hostDefault)
  }
  if (isAbsolute(settings.dir) || hostDefault === null) return resolve(settings.dir)
  return resolve(hostDefault, '..', settings.dir)
}

/** Names Windows reserves for devices: a folder called COM3 cannot be made there. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i
/** One path segment of our own making: no separators, no `.` or `..`, nothing hidden. */
const SAFE_SEGMENT = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,63}$/

/** The folder of a port's recordings (its id, with `_` after a name Windows reserves). */
export function portFolderName(portId: string): string {
  if (!SAFE_SEGMENT.test(portId) || portId.endsWith('.')) {
    throw new Error(`port id "${portId}" cannot be used as a folder name`)
  }
  return RESERVED.test(portId) ? `${portId}_` : portId
}

/** The port id a folder belongs to (the reverse of `portFolderName`). */
export function portOfFolder(folder: string): string {
  return folder.endsWith('_') && RESERVED.test(folder.slice(0, -1)) ? folder.slice(0, -1) : folder
}

export function isSafeSegment(name: string): boolean {
  return SAFE_SEGMENT.test(name)
}

/**
 * `meter/2026-11-23T09-15-02Z.jsonl` → its absolute path, or an error when it is not exactly a
 * port folder and a file name inside the root (`..`, absolute paths, extra segments, odd names).
 */
export function fileInRoot(
  root: string,
  file: string,
  extensions: readonly string[] = ['.jsonl'],
): { ok: true; path: string } | { ok: false; error: string } {
  const parts = file.split(/[\\/]/)
  const bad = (why: string) => ({ ok: false as const, error: `${JSON.stringify(file)}: ${why}` })
  if (parts.length !== 2) return bad('give a port folder and a file name, e.g. meter/FILE.jsonl')
  const [folder, name] = parts as [string, string]
  if (!isSafeSegment(folder) || !isSafeSegment(name)) return bad('not a recording name')
  if (!extensions.some((e) => name.endsWith(e))) return bad(`not a ${extensions.join(' or ')} file`)
  const path = join(root, folder, name)
  const inside = relative(root, path)
  if (inside.startsWith('..') || isAbsolute(inside) || !path.startsWith(root + sep)) {
    return bad('outside the recordings folder')
  }
  return { ok: true, path }
}

/** The name relative to the root, with `/`, as status and lists show it. */
export function relativeName(root: string, path: string): string {
  return relative(root, path).split(sep).join('/')
}
