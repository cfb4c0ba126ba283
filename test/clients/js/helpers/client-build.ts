import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync } from 'node:fs'
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

/**
 * The package as `npm install ./clients/js` leaves it in a project: its package.json and the
 * built `dist/` under `project/node_modules/@serial-bridge/client`. Inside the repository, the
 * package finds `ws` in the repository's node_modules.
 */
export function installClient(project: string): void {
  const installed = join(project, 'node_modules', '@serial-bridge', 'client')
  mkdirSync(installed, { recursive: true })
  copyFileSync(join(ROOT, 'clients/js/package.json'), join(installed, 'package.json'))
  buildClient(join(installed, 'dist'))
}
