import { watch as fsWatch, type FSWatcher } from 'node:fs'
import { basename, dirname } from 'node:path'

export interface FileWatchOptions {
  path: string
  /** Called once the file has been quiet for `quietMs` after a change (editors write in steps). */
  onChange: () => void
  onError?: (error: Error) => void
  quietMs?: number
  /** Injected by tests; node:fs `watch` otherwise. */
  watch?: (dir: string, listener: (event: string, name: string | null) => void) => FSWatcher
}

export interface FileWatch {
  stop(): void
}

/**
 * Watches one file by its directory: editors save by writing a new file and renaming it over
 * the old one, which a watch on the file itself stops seeing after the first save.
 */
export function watchFile(options: FileWatchOptions): FileWatch {
  const name = basename(options.path)
  const quietMs = options.quietMs ?? 100
  const watch = options.watch ?? ((dir, listener) => fsWatch(dir, { persistent: false }, listener))
  let timer: NodeJS.Timeout | null = null
  const watcher = watch(dirname(options.path), (_event, changed) => {
    // Some platforms do not say which file changed: then every change is a candidate.
    if (changed !== null && changed !== name) return
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      options.onChange()
    }, quietMs)
  })
  watcher.on('error', (error) => options.onError?.(error))
  return {
    stop() {
      if (timer) clearTimeout(timer)
      timer = null
      watcher.close()
    },
  }
}
