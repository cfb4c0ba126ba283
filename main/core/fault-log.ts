/**
 * Where a fault of ours is reported: an exception caught at the boundary of a handler (a
 * request, an upgrade, a message), which answered 500 or dropped that one connection instead
 * of stopping the process. `where` names the handler.
 */
export type FaultLog = (where: string, error: unknown) => void

/** The default: one line with the stack on stderr (headless mode's log). */
export const faultsToStderr: FaultLog = (where, error) => {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error)
  process.stderr.write(`fault in ${where} (the bridge keeps running): ${detail}\n`)
}
