/**
 * What the operating system says when a recording cannot be written, in words a lab
 * technician can act on. The recording shows it (state `error`) and resumes by itself.
 */
export type WriteProblem = 'full' | 'removed' | 'permission' | 'other'

export function classifyWriteError(error: unknown): WriteProblem {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return 'full'
    case 'ENOENT':
    case 'ENOTDIR':
    case 'ESTALE':
      return 'removed'
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'permission'
    default:
      return 'other'
  }
}

/** `cannot write to /data/recordings/meter: the disk is full`. */
export function describeWriteError(error: unknown, folder: string): string {
  const problem = classifyWriteError(error)
  const words =
    problem === 'full'
      ? 'the disk is full'
      : problem === 'removed'
        ? 'the folder was removed'
        : problem === 'permission'
          ? 'permission denied'
          : (error as Error | null)?.message || String(error)
  return `cannot write to ${folder}: ${words}`
}

/** An error of our own with an errno code, so it is worded like the system's. */
export function writeError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code })
}
