import { EXPORT_USAGE } from './export-command'
import { parseArgs } from 'node:util'

/** What `--headless` (Electron) or `npm run headless` (Node) was asked to do. */
export interface HeadlessArgs {
  config: string | null
  /** Listen on this port for this run; the file keeps its own `server.port`. */
  port: number | null
  ui: boolean
  /** A log file, rotated by size (log-file.ts); null: stderr. */
  log: string | null
  /** The app's data folder (the auto TLS certificate lives there); null: the host's default. */
  data: string | null
  help: boolean
}

export const USAGE = `Usage: npx serial-bridge --config FILE [--port N] [--ui] [--log FILE] [--data DIR]
       "Serial Bridge.exe" --headless --config FILE [--port N] [--log FILE] [--data DIR]
       (or: npm run --silent headless -- --config FILE ...)

  --config FILE  settings file (JSON, the same format the app exports). Changes made
                 through the web UI are saved back to it; changes made to it by hand
                 while running are loaded (a file that changed is never written over)
  --port N       listen on port N for this run (the file keeps its server.port)
  --ui           also serve the UI at http://HOST:PORT/app/ with an admin token; prints
                 "ui: URL". The token is server.adminToken, else one made once and kept
                 in FILE.admin-token (readable by you only), so the URL stays the same
  --log FILE     write the log to FILE instead of stderr; at 10 MiB it moves to FILE.1
                 (FILE.1 to FILE.2, …; five kept)
  --data DIR     the data folder (server.tls "auto" keeps its certificate in DIR/tls);
                 default: the desktop app's own, or the folder of --config
  --help         this text

Recordings go to ./recordings beside the config file unless recording.dir says otherwise.

${EXPORT_USAGE}`

export type ParsedArgs = { ok: true; args: HeadlessArgs } | { ok: false; error: string }

export function parseHeadlessArgs(argv: readonly string[]): ParsedArgs {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        ui: { type: 'boolean' },
        log: { type: 'string' },
        data: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    })
    for (const key of ['config', 'log', 'data'] as const) {
      if (values[key] === '') return { ok: false, error: `--${key} needs a path` }
    }
    const port = values.port === undefined ? null : Number(values.port)
    if (port !== null && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
      return { ok: false, error: `--port: "${values.port}" is not a port number (0–65535)` }
    }
    return {
      ok: true,
      args: {
        config: values.config ?? null,
        port,
        ui: values.ui ?? false,
        log: values.log ?? null,
        data: values.data ?? null,
        help: values.help ?? false,
      },
    }
  } catch (error) {
    return { ok: false, error: (error as Error).message }
  }
}

/**
 * The installed app run as the bridge alone: `"Serial Bridge.exe" --headless --config FILE`.
 * Returns what follows `--headless` (the headless arguments), or null for the desktop app.
 * Whatever comes before it (Electron's own `.` or switches in development) is not ours.
 */
export function headlessArgvOf(argv: readonly string[]): string[] | null {
  const at = argv.indexOf('--headless')
  return at < 0 ? null : argv.slice(at + 1)
}
