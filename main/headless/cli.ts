import { runHeadless } from './run-headless'
import { ensureUiBuilt } from './ui-build'

/** `npm run headless -- --config FILE`: headless mode on plain Node (run-headless.ts). */

// Listened for before anything starts: a tool may send a signal the moment it reads "listening".
const stopRequested = new Promise<void>((resolve) => {
  process.once('SIGINT', resolve)
  process.once('SIGTERM', resolve)
})

runHeadless(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stopRequested,
  uiDir: ensureUiBuilt,
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fatal: ${(error as Error).stack ?? String(error)}\n`)
    process.exit(1)
  },
)
