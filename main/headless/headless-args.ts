import { parseArgs } from 'node:util'

/** What `--headless` (Electron) or `npm run headless` (Node) was asked to do. */
export interface HeadlessArgs {
  config: string | null
  ui: boolean
  /** A log file, rotated by size (log-file.ts); null: stderr. */
  log: string | null
  /** The app's data folder (the auto TLS certificate lives there); null: the host's default. */
  data: string | null
  help: boolean
}

export const USAGE = `Usage: npm run headless -- --config FILE [--ui] [--log FILE] [--data DIR]
       "Serial Bridge.exe" --headless --config FILE [--log FILE] [--data DIR]

  --config FILE  settings file (JSON, the same format the app exports); changes made
                 through the web UI are saved back to it
  --ui           also serve the UI at http://HOST:PORT/app/ with an admin token
                 (server.adminToken, else a new one each start); prints "ui: URL"
  --log FILE     write the log to FILE instead of stderr; at 10 MiB it moves to FILE.1
                 (FILE.1 to FILE.2, …; five kept)
  --data DIR     the data folder (server.tls "auto" keeps its certificate in DIR/tls);
                 default: the desktop app's own, or the folder of --config
  --help         this text
`

export type ParsedArgs = { ok: true; args: HeadlessArgs } | { ok: false; error: string }

export function parseHeadlessArgs(argv: readonly string[]): ParsedArgs {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string' },
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
    return {
      ok: true,
      args: {
        config: values.config ?? null,
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
