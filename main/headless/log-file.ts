import { closeSync, existsSync, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'

export interface RotatingLogOptions {
  path: string
  /** The file moves to `path.1` once a line would take it past this. */
  maxBytes?: number
  /** Old files kept: `path.1` (newest) to `path.{keep}`; older ones are deleted. */
  keep?: number
}

export interface RotatingLog {
  write(line: string): void
  close(): void
}

/**
 * A log file for a lab PC that runs for months: appended line by line, rotated by size so it
 * never fills the disk. Writes are synchronous (a few lines a minute; nothing per frame), so
 * the last line before a crash is on disk. A write that fails is reported once, never thrown.
 */
export function openRotatingLog(options: RotatingLogOptions): RotatingLog {
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024
  const keep = options.keep ?? 5
  const { path } = options
  let fd = openSync(path, 'a')
  let size = fstatSync(fd).size
  let failed = false

  const rotate = (): void => {
    closeSync(fd)
    if (existsSync(`${path}.${keep}`)) rmSync(`${path}.${keep}`)
    for (let i = keep - 1; i >= 1; i--) {
      if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`)
    }
    renameSync(path, `${path}.1`)
    fd = openSync(path, 'a')
    size = 0
  }

  return {
    write(line) {
      const bytes = Buffer.from(line.endsWith('\n') ? line : `${line}\n`)
      try {
        if (size > 0 && size + bytes.length > maxBytes) rotate()
        writeSync(fd, bytes)
        size += bytes.length
      } catch (error) {
        if (!failed) process.stderr.write(`log ${path}: ${(error as Error).message}\n`)
        failed = true
      }
    },
    close() {
      try {
        closeSync(fd)
      } catch {
        // Already closed.
      }
    },
  }
}
