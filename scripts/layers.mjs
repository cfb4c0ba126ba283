// `npm run layers`: which folder imports which, read from the import statements themselves.
// Prints one line per layer with the layers and packages it imports, and fails on an import
// the architecture does not allow (ESLint enforces the same rules file by file).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, normalize } from 'node:path'
import ts from 'typescript'

const LAYERS = [
  ['common', 'common/'],
  ['main/core', 'main/core/'],
  ['main/admin', 'main/admin/'],
  ['main/headless', 'main/headless/'],
  ['main/shell', 'main/'],
  ['preload', 'preload/'],
  ['renderer', 'renderer/'],
]
/** What each layer may import besides itself. */
const ALLOWED = {
  common: [],
  'main/core': ['common'],
  'main/admin': ['main/core', 'common'],
  'main/headless': ['main/admin', 'main/core', 'common'],
  // The installed app runs headless mode itself (`--headless`).
  'main/shell': ['main/headless', 'main/admin', 'main/core', 'common'],
  preload: ['common'],
  renderer: ['common'],
}

const layerOf = (file) => LAYERS.find(([, prefix]) => file.startsWith(prefix))?.[0] ?? null
const files = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', ...LAYERS.map(([, p]) => p)],
  { encoding: 'utf8' },
)
  .split('\n')
  .filter((f) => /\.(ts|tsx)$/.test(f) && !f.endsWith('vite.config.ts'))
const edges = new Map(LAYERS.map(([name]) => [name, new Set()]))
const packages = new Map(LAYERS.map(([name]) => [name, new Set()]))
const violations = []
for (const file of files) {
  const from = layerOf(file)
  for (const { fileName: spec } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    .importedFiles) {
    if (spec.startsWith('.')) {
      const to = layerOf(normalize(join(dirname(file), spec)))
      if (!to || to === from) continue
      edges.get(from).add(to)
      if (!ALLOWED[from].includes(to)) violations.push(`${file} imports ${spec} (${to})`)
    } else {
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]
      const builtin = name.startsWith('node:') || builtinModules.includes(name)
      packages.get(from).add(builtin ? 'node:*' : name)
    }
  }
}
for (const [name] of LAYERS) {
  const to = [...edges.get(name)].sort().join(', ') || '(none)'
  const pkgs = [...packages.get(name)].sort().join(', ') || '(none)'
  console.log(`${name.padEnd(14)} → ${to}\n${''.padEnd(14)}   packages: ${pkgs}`)
}
if (violations.length > 0) {
  console.error(`\nImports the layers do not allow:\n  ${violations.join('\n  ')}`)
  process.exit(1)
}
