// `npm run test:no-pty`: the tests that need no pty (no socat), as the Windows workflow runs
// them; on Linux the same run shows they pass without one. Tests that take their serial line
// from test/helpers/test-lines.ts run on @serialport/binding-mock only (TEST_SERIAL_LINES=mock).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'

/** Folders whose tests need no serial line; a file in them that uses socat is left out. */
const FOLDERS = ['test/mock', 'test/shell', 'test/ipc', 'test/preload', 'test/renderer']

/** The engine, control endpoint, stream, slow-client and security tests, on binding-mock. */
const FILES = [
  'test/core/engine.test.ts',
  'test/core/server/control-endpoint.test.ts',
  'test/core/server/port-stream.test.ts',
  'test/core/server/frame-order.test.ts',
  'test/core/server/slow-client.test.ts',
  'test/core/server/security.test.ts',
  'test/headless/headless-args.test.ts',
  'test/headless/log-file.test.ts',
]

const SOCAT = /from '[^']*\/(?:socat-pair|pty-bridge|pty-engine-process)'/
const usesSocat = (file) => SOCAT.test(readFileSync(file, 'utf8'))
const isTest = (name) => /\.test\.tsx?$/.test(name)

const inFolders = FOLDERS.flatMap((folder) =>
  readdirSync(folder, { recursive: true })
    .filter(isTest)
    .map((name) => `${folder}/${name.replaceAll('\\', '/')}`)
    .filter((file) => !usesSocat(file)),
)
for (const file of FILES) {
  if (!existsSync(file)) throw new Error(`${file}: listed in scripts/test-no-pty.mjs, not found`)
  if (usesSocat(file)) throw new Error(`${file}: listed as needing no pty, but it uses socat`)
}
const files = [...new Set([...inFolders, ...FILES])].sort()
console.log(`test:no-pty: ${files.length} files\n  ${files.join('\n  ')}`)

const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-timeout=120000', ...files],
  {
    stdio: 'inherit',
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.runtime.json', TEST_SERIAL_LINES: 'mock' },
  },
)
process.exit(run.status ?? 1)
