// `npm run headless`: bundles the engine with esbuild when its sources changed (~0.1 s), then
// runs the bundle with plain Node. Running TypeScript through a loader on every start costs
// more than half a second; a lab PC restarting headless mode should not wait for that.
import { build } from 'esbuild'
import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { setInterval, clearInterval } from 'node:timers'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '..')
const entry = join(root, 'main/headless/cli.ts')
const outfile = join(root, 'out/headless/cli.mjs')
const sources = [join(root, 'main'), join(root, 'common'), join(root, 'package.json')]

async function newest(path) {
  const s = await stat(path)
  if (!s.isDirectory()) return s.mtimeMs
  let max = s.mtimeMs
  for (const e of await readdir(path, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) max = Math.max(max, (await stat(join(e.parentPath, e.name))).mtimeMs)
  }
  return max
}

const built = await stat(outfile).then(
  (s) => s.mtimeMs,
  () => 0,
)
const changed = Math.max(...(await Promise.all(sources.map(newest))))
if (built <= changed) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    // Dependencies stay in node_modules (serialport loads a native addon from there).
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  })
}
stopWithParentUnderNpm()
await import(pathToFileURL(outfile).href)

/**
 * `npm run headless` runs `sh -c "node scripts/headless.mjs …"`: a SIGTERM to npm reaches that
 * shell, which exits without passing it on, and this process would keep running and holding
 * the port. So when npm started it, the parent going away counts as a SIGTERM (a clean stop).
 */
function stopWithParentUnderNpm() {
  if (!process.env.npm_lifecycle_event) return
  const parent = process.ppid
  const watch = setInterval(() => {
    if (process.ppid === parent && isAlive(parent)) return
    clearInterval(watch)
    process.kill(process.pid, 'SIGTERM')
  }, 500)
  watch.unref()
}

/** Windows keeps a dead parent's pid as ppid, so ask whether it is still there. */
function isAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}
