import { dirname, join, resolve } from 'node:path'
import { UI_PATH } from '../../common/admin-wire'
import type { Notice } from '../../common/contract'
import type { MqttStatus } from '../../common/engine-api'
import { mqttStateText } from '../../common/mqtt-status'
import { defaultSettings, type Settings } from '../../common/settings-schema'
import { createAdminChannel } from '../admin/admin-channel'
import { serveStaticUi } from '../admin/static-ui'
import { createEngine } from '../core/engine'
import type { ServerExtension } from '../core/server/bridge-server'
import { faultLogTo } from '../core/fault-log'
import {
  readSettingsFileText,
  removeSaveLeftovers,
  writeSettingsText,
} from '../core/settings/settings-file'
import { SERVER_NAME } from '../core/version'
import { adminTokenPath, loadAdminToken, newAdminToken } from './admin-token-file'
import { createConfigSync, type ConfigSync } from './config-file/config-sync'
import { portOverride } from './config-file/port-override'
import { parseHeadlessArgs, USAGE, type HeadlessArgs } from './headless-args'
import { openRotatingLog } from './log-file'

/** Where headless mode runs: plain Node (`npm run headless`) or the installed app (`--headless`). */
export interface HeadlessHost {
  /** Lines tools wait for ("listening on …"). */
  stdout(text: string): void
  stderr(text: string): void
  /** Resolves when the bridge is asked to stop (a signal, the service manager). */
  stopRequested: Promise<void>
  /** The data folder when --data is not given; else the folder of --config, else the working folder. */
  dataDir?: string
  /** The built UI for --ui: the package's own, or built from the sources (`npm run headless`). */
  uiDir(log: (line: string) => void): Promise<string>
}

/**
 * Headless mode: the engine with no window, the same settings file format as the app.
 * stdout carries only the lines tools wait for; the rest goes to stderr, or to --log FILE.
 * Returns the exit code.
 */
export async function runHeadless(argv: readonly string[], host: HeadlessHost): Promise<number> {
  const parsed = parseHeadlessArgs(argv)
  if (!parsed.ok) {
    host.stderr(`${parsed.error}\n\n${USAGE}`)
    return 2
  }
  const args = parsed.args
  if (args.help) {
    host.stdout(USAGE)
    return 0
  }
  let logFile
  try {
    logFile = args.log ? openRotatingLog({ path: args.log }) : null
  } catch (error) {
    host.stderr(`--log ${args.log}: ${(error as Error).message}\n`)
    return 2
  }
  const stamp = (line: string) => `${new Date().toISOString()} ${line}`
  const say = (line: string): void => {
    host.stdout(`${line}\n`)
    logFile?.write(stamp(line))
  }
  const warn = (line: string): void =>
    logFile ? logFile.write(stamp(line)) : host.stderr(`${line}\n`)
  try {
    return await serve(args, host, say, warn)
  } finally {
    logFile?.close()
  }
}

async function serve(
  args: HeadlessArgs,
  host: HeadlessHost,
  say: (line: string) => void,
  warn: (line: string) => void,
): Promise<number> {
  const configPath = args.config
  let fileSettings: Settings = defaultSettings()
  let sync: ConfigSync | null = null
  const notices = new Set<(notice: Notice) => void>()
  const report = (level: Notice['level'], message: string): void => {
    warn(message)
    for (const listener of notices) listener({ level, message })
  }
  const override = portOverride(args.port, fileSettings.server.port)
  if (configPath) {
    // A save killed mid-write (power cut, SIGKILL) leaves its temporary copy, tokens and all.
    for (const name of await removeSaveLeftovers(configPath))
      warn(`removed ${name}, left by an interrupted save`)
    const loaded = await readSettingsFileText(configPath)
    if (!loaded.ok) {
      warn(`Invalid settings:\n${loaded.errors.map((e) => `  ${e}`).join('\n')}`)
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
    warn('No --config given: starting with default settings and no ports.')
  }
  const settings = override.toRunning(fileSettings)
  const dataDir = resolve(args.data ?? host.dataDir ?? (configPath ? dirname(configPath) : '.'))

  const logFault = faultLogTo(warn)
  const extensions: ServerExtension[] = []
  let adminToken: string | null = null
  if (args.ui) {
    const uiDir = await host.uiDir(warn)
    adminToken = settings.server.adminToken ?? (await uiToken(configPath, warn))
    extensions.push(
      serveStaticUi(uiDir, logFault),
      createAdminChannel(() => engine, adminToken, {
        logFault,
        onNotice(listener) {
          notices.add(listener)
          return () => void notices.delete(listener)
        },
      }),
    )
  }
  const engine = createEngine({
    settings,
    extensions,
    dataDir,
    log: warn,
    logFault,
    recordingsDir: join(configPath ? dirname(resolve(configPath)) : process.cwd(), 'recordings'),
    persist: sync?.persist,
  })
  engine.on('port', ({ port, removed }) => {
    const detail = removed ? 'removed' : port.state + (port.error ? `: ${port.error}` : '')
    warn(`port ${port.id} (${port.path}) ${detail}`)
  })
  let mqttLine = ''
  let mqttState = ''
  engine.on('mqtt', (status) => {
    // Retries after a failure are not news: a broker down for a week would fill the log.
    const retrying = status.state === 'connecting' && mqttState === 'error'
    mqttState = status.state
    const line = mqttStateLine(status)
    if (!retrying && line !== mqttLine) warn((mqttLine = line))
  })

  const status = await engine.start()
  if (status.state !== 'listening') {
    warn(`${SERVER_NAME} could not start: ${status.error}`)
    await engine.stop()
    return 1
  }
  sync?.start(engine)
  say(`listening on ${status.url}`)
  if (status.fingerprint) say(`tls: SHA-256 fingerprint ${status.fingerprint}`)
  if (adminToken) say(`ui: ${uiUrl(status.url!, adminToken)}`)

  await host.stopRequested
  sync?.stop()
  await sync?.idle()
  await engine.stop()
  return 0
}

/** The token kept beside the settings file; without a file, one for this run only. */
async function uiToken(configPath: string | null, warn: (line: string) => void): Promise<string> {
  if (!configPath) {
    warn('No --config given: the admin token (and so the ui: address) is new each start.')
    return newAdminToken()
  }
  const kept = await loadAdminToken(adminTokenPath(configPath))
  if (kept.problem)
    warn(`The admin token cannot be kept (${kept.problem}): it lasts this run only.`)
  return kept.token
}

/** State changes only, never the counters (and never the password). */
function mqttStateLine(s: MqttStatus): string {
  if (s.state !== 'connected') return mqttStateText(s)
  const commands = s.commandsRefused ? `; commands refused: ${s.commandsRefused}` : ''
  return `${mqttStateText(s)}, topics under ${s.topicPrefix}/${commands}`
}

/** The address a person opens: loopback when the server listens on every interface. */
function uiUrl(wsUrl: string, adminToken: string): string {
  const url = new URL(wsUrl.replace(/^ws/, 'http'))
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1'
  return `${url.origin}${UI_PATH}#adminToken=${adminToken}`
}
