/**
 * Everything the bench starts is registered here and stopped in reverse order, on success,
 * on error, and on Ctrl-C. The exit hook is the last resort: it kills what is still alive.
 */
type Stop = () => Promise<void> | void

const stops: { name: string; stop: Stop }[] = []
const livePids = new Set<number>()

export function onCleanup(name: string, stop: Stop): () => void {
  const entry = { name, stop }
  stops.push(entry)
  return () => {
    const i = stops.indexOf(entry)
    if (i >= 0) stops.splice(i, 1)
  }
}

/** Runs the cleanups registered since `mark`, newest first; errors are reported, not thrown. */
export async function cleanupTo(mark: number): Promise<void> {
  while (stops.length > mark) {
    const entry = stops.pop()
    if (!entry) break
    try {
      await entry.stop()
    } catch (e) {
      console.error(`cleanup ${entry.name}: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
}

export function cleanupMark(): number {
  return stops.length
}

export function trackPid(pid: number | undefined): void {
  if (pid) livePids.add(pid)
}

export function untrackPid(pid: number | undefined): void {
  if (pid) livePids.delete(pid)
}

let installed = false

export function installExitHooks(): void {
  if (installed) return
  installed = true
  process.on('exit', () => {
    for (const pid of livePids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping everything the bench started`)
      void cleanupTo(0).finally(() => process.exit(130))
    })
  }
}
