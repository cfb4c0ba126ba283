import { runExport } from './export-command'
import { runHeadless } from './run-headless'
import { ensureUiBuilt } from './ui-build'

/**
 * `npx serial-bridge --config FILE` (or `npm run headless -- …`): headless mode on plain Node
 * (run-headless.ts); `serial-bridge export FILE.jsonl --csv` turns a recording into CSV.
 */

const argv = process.argv.slice(2)

// Listened for before anything starts: a tool may send a signal the moment it reads "listening".
const stopRequested = new Promise<void>((resolve) => {
  process.once('SIGINT', resolve)
  process.once('SIGTERM', resolve)
})

const run =
  argv[0] === 'export'
    ? runExport(argv.slice(1), { stdout: process.stdout, stderr: process.stderr })
    : runHeadless(argv, {
        stdout: (text) => void process.stdout.write(text),
        stderr: (text) => void process.stderr.write(text),
        stopRequested,
        uiDir: ensureUiBuilt,
      })

run.then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fatal: ${(error as Error).stack ?? String(error)}\n`)
    process.exit(1)
  },
)
