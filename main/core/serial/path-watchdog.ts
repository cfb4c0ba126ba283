import { access } from 'node:fs/promises'

const PATH_CHECK_MS = 1000

/**
 * Device files vanish on unplug (USB serial, ptys): a check that needs no udev, and catches a
 * line that reads 0 bytes forever instead of failing. Returns the stop function.
 */
export function watchPath(path: string, gone: () => void): (() => void) | null {
  if (!path.startsWith('/')) return null
  const timer = setInterval(() => {
    access(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') gone()
    })
  }, PATH_CHECK_MS)
  timer.unref()
  return () => clearInterval(timer)
}
