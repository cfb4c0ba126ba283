import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { UI_PATH } from '../../common/admin-wire'
import { createAdminChannel } from '../admin/admin-channel'
import { serveStaticUi } from '../admin/static-ui'
import type { ServerExtension } from '../core/server/bridge-server'
import { createEngine } from '../core/engine'
import { readSettingsFile, writeSettingsFile } from '../core/settings/settings-file'
import { defaultSettings } from '../../common/settings-schema'
import { SERVER_NAME } from '../core/version'
import { dirname, join, resolve } from 'node:path'
import { EXPORT_USAGE, runExport } from './export-command'
import { ensureUiBuilt } from './ui-build'

/**
 * Headless mode: the engine with no window. `npm run headless -- --config FILE`.
 * stdout carries only the lines tools wait for; everything else goes to stderr.
 */
const USAGE = `Usage: npm run headless -- --config FILE [--ui]

  --config FILE  settings file (JSON, the same format the app exports); changes made
                 through the web UI are saved back to it
  --ui           also serve the UI at http://HOST:PORT/app/ with an admin token
                 (server.adminToken, else a new one each start); prints "ui: URL"
  --help         this text

Recordings go to ./recordings beside the config file unless recording.dir says otherwise.

${EXPORT_USAGE}`

async function main(): Promise<number> {
  const argv = process.argv.slice(2)
  if (argv[0] === 'export') {
    return runExport(argv.slice(1), { stdout: process.stdout, stderr: process.stderr })
  }
  let args
  try {
    args = parseArgs({
      options: { config: { type: 'string' }, ui: { type: 'boolean' }, help: { type: 'boolean' } },
      strict: true,
    }).values
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (args.help) {
    process.stdout.write(USAGE)
    return 0
  }

  const configPath = args.config
  let settings = defaultSettings()
  if (configPath) {
    const loaded = await readSettingsFile(configPath)
    if (!loaded.ok) {
      process.stderr.write(`Invalid settings:\n${loaded.errors.map((e) => `  ${e}`).join('\n')}\n`)
      return 2
    }
    settings = loaded.value
  } else {
    process.stderr.write('No --config given: starting with default settings and no ports.\n')
  }

  // Listen for signals before printing the ready line: a tool may send one the moment it reads it.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  const extensions: ServerExtension[] = []
  let adminToken: string | null = null
  if (args.ui) {
    const uiDir = await ensureUiBuilt((line) => process.stderr.write(line + '\n'))
    adminToken = settings.server.adminToken ?? randomBytes(24).toString('base64url')
    extensions.push(
      serveStaticUi(uiDir),
      createAdminChannel(() => engine, adminToken),
    )
  }
  const engine = createEngine({
    settings,
    extensions,
    recordingsDir: join(configPath ? dirname(resolve(configPath)) : process.cwd(), 'recordings'),
    persist: configPath ? (s) => writeSettingsFile(configPath, s) : undefined,
  })
  engine.on('port', ({ port, removed }) => {
    const detail = removed ? 'removed' : port.state + (port.error ? `: ${port.error}` : '')
    process.stderr.write(`port ${port.id} (${port.path}) ${detail}\n`)
  })

  const status = await engine.start()
  if (status.state !== 'listening') {
    process.stderr.write(`${SERVER_NAME} could not start: ${status.error}\n`)
    await engine.stop()
    return 1
  }
  process.stdout.write(`listening on ${status.url}\n`)
  if (adminToken) process.stdout.write(`ui: ${uiUrl(status.url!, adminToken)}\n`)

  await stopRequested
  await engine.stop()
  return 0
}

/** The address a person opens: loopback when the server listens on every interface. */
function uiUrl(wsUrl: string, adminToken: string): string {
  const url = new URL(wsUrl.replace(/^ws/, 'http'))
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1'
  return `${url.origin}${UI_PATH}#adminToken=${adminToken}`
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fatal: ${(error as Error).stack ?? String(error)}\n`)
    process.exit(1)
  },
)
