import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { projectRoot } from './project-root'

const ROOT = projectRoot()
export const UI_OUT_DIR = join(ROOT, 'out/renderer')
const SOURCES = [join(ROOT, 'renderer'), join(ROOT, 'common')]

async function newestMtime(dir: string): Promise<number> {
  let newest = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs)
  }
  return newest
}

/**
 * `--ui` serves the built renderer; this builds it first when it is missing or older than its
 * sources, so `npm run headless -- --ui` works right after `npm ci`.
 */
export async function ensureUiBuilt(log: (line: string) => void): Promise<string> {
  const built = await stat(join(UI_OUT_DIR, 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  )
  const sources = Math.max(...(await Promise.all(SOURCES.map(newestMtime))))
  if (built > sources) return UI_OUT_DIR
  log('building the UI (once)…')
  const { build } = await import('vite')
  await build({ configFile: join(ROOT, 'renderer/vite.config.ts'), logLevel: 'warn' })
  return UI_OUT_DIR
}
