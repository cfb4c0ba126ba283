/**
 * Where a fault of ours is reported: an exception caught at the boundary of a handler (a
 * request, an upgrade, a message), which answered 500 or dropped that one connection instead
 * of stopping the process. `where` names the handler.
 */
export type FaultLog = (where: string, error: unknown) => void

/** Fault lines written where the host logs (headless mode's stderr or its --log file). */
export function faultLogTo(log: (line: string) => void): FaultLog {
  return (where, error) => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error)
    log(`fault in ${where} (the bridge keeps running): ${detail}`)
  }
}

/** The default: one line with the stack on stderr. */
export const faultsToStderr: FaultLog = faultLogTo((line) => void process.stderr.write(`${line}\n`))
