import { createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { finished } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import type { Writable } from 'node:stream'
import { exportCsv } from '../core/recording/csv-export'

export const EXPORT_USAGE = `Usage: serial-bridge export FILE.jsonl --csv [--out FILE.csv]
       (today also: npm run headless -- export FILE.jsonl --csv [--out FILE.csv])

  Writes a recording as CSV for spreadsheets: ts,dir,data and one column per numeric
  channel. Streams, so any size exports in constant memory.

  --csv        the format (the only one)
  --out FILE   write to FILE instead of standard output
`

/** `export FILE.jsonl --csv [--out FILE.csv]`; returns the exit code. */
export async function runExport(
  args: string[],
  io: { stdout: Writable; stderr: Writable },
): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args,
      options: { csv: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    })
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${EXPORT_USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) {
    io.stdout.write(EXPORT_USAGE)
    return 0
  }
  if (positionals.length !== 1 || !values.csv) {
    io.stderr.write(
      `${positionals.length !== 1 ? 'give one recording (FILE.jsonl)' : 'say --csv (the only export format)'}\n\n${EXPORT_USAGE}`,
    )
    return 2
  }
  const input = positionals[0]!
  const info = await stat(input).catch((error: NodeJS.ErrnoException) => error)
  if (info instanceof Error || !info.isFile()) {
    const why =
      info instanceof Error
        ? info.code === 'ENOENT'
          ? 'it does not exist'
          : info.message
        : 'it is not a file'
    io.stderr.write(`cannot export ${input}: ${why}\n`)
    return 1
  }
  const out = values.out ? createWriteStream(values.out) : io.stdout
  // A reader that stops early (`| head`) is not an error of ours.
  let closedEarly = false
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closedEarly = true
    else io.stderr.write(`cannot write ${values.out ?? 'the output'}: ${error.message}\n`)
  })
  try {
    const result = await exportCsv(input, out)
    if (values.out) {
      out.end()
      await finished(out)
    }
    const notes = [
      result.badLines > 0 ? `${result.badLines} bad line(s) skipped` : '',
      result.truncated ? 'a cut-off last line ignored' : '',
    ].filter(Boolean)
    io.stderr.write(`exported ${result.rows} rows${notes.length ? ` (${notes.join(', ')})` : ''}\n`)
    return 0
  } catch (error) {
    if (closedEarly) return 0
    io.stderr.write(`cannot export ${input}: ${(error as Error).message}\n`)
    return 1
  }
}
