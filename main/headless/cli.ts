import { parseArgs } from 'node:util'
import { UI_PATH } from '../../common/admin-wire'
import type { Notice } from '../../common/contract'
import { defaultSettings, type Settings } from '../../common/settings-schema'
import { createAdminChannel } from '../admin/admin-channel'
import { serveStaticUi } from '../admin/static-ui'
import type { ServerExtension } from '../core/server/bridge-server'
import { createEngine } from '../core/engine'
import { readSettingsFileText, writeSettingsText } from '../core/settings/settings-file'
import { SERVER_NAME } from '../core/version'
import { adminTokenPath, loadAdminToken, newAdminToken } from './admin-token-file'
import { createConfigSync, type ConfigSync } from './config-file/config-sync'
import { portOverride } from './config-file/port-override'
import { ensureUiBuilt } from './ui-build'

/**
 * Headless mode: the engine with no window. `npx serial-bridge --config FILE`.
 * stdout carries only the lines tools wait for; everything else goes to stderr.
 */
const USAGE = `Usage: npx serial-bridge --config FILE [--port N] [--ui]
       (or: npm run --silent headless -- --config FILE ...)

  --config FILE  settings file (JSON, the same format the app exports). Changes made
                 through the web UI are saved back to it; changes made to it by hand
                 while running are loaded (a file that changed is never written over)
  --port N       listen on port N for this run (the file keeps its server.port)
  --ui           also serve the UI at http://HOST:PORT/app/ with an admin token; prints
                 "ui: URL". The token is server.adminToken, else one made once and kept
                 in FILE.admin-token (readable by you only), so the URL stays the same
  --help         this text
`

const say = (line: string): void => void process.stderr.write(line + '\n')

async function main(): Promise<number> {
  let args
  try {
    args = parseArgs({
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        ui: { type: 'boolean' },
        help: { type: 'boolean' },
      },
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
  const port = args.port === undefined ? null : Number(args.port)
  if (port !== null && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    process.stderr.write(`--port: "${args.port}" is not a port number (0–65535)\n\n${USAGE}`)
    return 2
  }

  const configPath = args.config
  let fileSettings: Settings = defaultSettings()
  let sync: ConfigSync | null = null
  const notices = new Set<(notice: Notice) => void>()
  const report = (level: Notice['level'], message: string): void => {
    say(message)
    for (const listener of notices) listener({ level, message })
  }
  const override = portOverride(port, fileSettings.server.port)
  if (configPath) {
    const loaded = await readSettingsFileText(configPath)
    if (!loaded.ok) {
      process.stderr.write(`Invalid settings:\n${loaded.errors.map((e) => `  ${e}`).join('\n')}\n`)
      return 2
    }
    fileSettings = loaded.value.settings
    sync = createConfigSync({
      path: configPath,
      initialText: loaded.value.text,
      report,
      write: writeSettingsText,
      override,
    })
  } else {
    say('No --config given: starting with default settings and no ports.')
  }
  const settings = override.toRunning(fileSettings)

  // Listen for signals before printing the ready line: a tool may send one the moment it reads it.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  const extensions: ServerExtension[] = []
  let adminToken: string | null = null
  if (args.ui) {
    const uiDir = await ensureUiBuilt(say)
    adminToken = settings.server.adminToken ?? (await uiToken(configPath))
    extensions.push(
      serveStaticUi(uiDir),
      createAdminChannel(() => engine, adminToken, {
        onNotice(listener) {
          notices.add(listener)
          return () => void notices.delete(listener)
        },
      }),
    )
  }
  const engine = createEngine({ settings, extensions, persist: sync?.persist })
  engine.on('port', ({ port, removed }) => {
    const detail = removed ? 'removed' : port.state + (port.error ? `: ${port.error}` : '')
    say(`port ${port.id} (${port.path}) ${detail}`)
  })

  const status = await engine.start()
  if (status.state !== 'listening') {
    say(`${SERVER_NAME} could not start: ${status.error}`)
    await engine.stop()
    return 1
  }
  sync?.start(engine)
  process.stdout.write(`listening on ${status.url}\n`)
  if (adminToken) process.stdout.write(`ui: ${uiUrl(status.url!, adminToken)}\n`)

  await stopRequested
  sync?.stop()
  await sync?.idle()
  await engine.stop()
  return 0
}

/** The token kept beside the settings file; without a file, one for this run only. */
async function uiToken(configPath: string | undefined): Promise<string> {
  if (!configPath) {
    say('No --config given: the admin token (and so the ui: address) is new each start.')
    return newAdminToken()
  }
  const kept = await loadAdminToken(adminTokenPath(configPath))
  if (kept.problem) say(`The admin token cannot be kept (${kept.problem}): it lasts this run only.`)
  return kept.token
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
