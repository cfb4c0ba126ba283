import { execFileSync } from 'node:child_process'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../../../..')

/** The same compiler run as the package's `prepare`, into `outDir` (a test's own folder). */
export function buildClient(outDir: string): void {
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      'clients/js/tsconfig.json',
      '--outDir',
      outDir,
    ],
    { cwd: ROOT, stdio: 'pipe' },
  )
}
