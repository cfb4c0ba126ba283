// `npm start`: the desktop app. Electron 45 has no postinstall: its binary is downloaded the
// first time something asks for it, and electron-vite only looks for it ("Electron uninstall").
// So this fetches it once with Electron's own installer, then runs electron-vite.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const electronDir = dirname(require.resolve('electron/package.json'))

function installed() {
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return false
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronDir, 'dist')
  return existsSync(join(dist, readFileSync(pathFile, 'utf8')))
}

if (!installed()) {
  process.stderr.write('Downloading the Electron binary (once)…\n')
  const download = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  })
  if (download.status !== 0 || !installed()) {
    const reason =
      (download.stderr ?? '')
        .split('\n')
        .map((line) => line.trim())
        .find((line) => line && !line.startsWith('at ')) ?? `exit code ${download.status}`
    process.stderr.write(
      `npm start needs the Electron binary, which is not installed and could not be downloaded ` +
        `(${reason}), so the desktop app cannot start on this machine; headless mode runs ` +
        `without it: npx serial-bridge --config examples/demo.json --ui\n`,
    )
    process.exit(1)
  }
}

const vitePackage = require.resolve('electron-vite/package.json')
const viteBin = join(
  dirname(vitePackage),
  JSON.parse(readFileSync(vitePackage, 'utf8')).bin['electron-vite'],
)
const child = spawn(process.execPath, [viteBin, 'preview', ...process.argv.slice(2)], {
  stdio: 'inherit',
})
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)))
