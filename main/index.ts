// The desktop shell: the engine with a window, a tray and IPC. Each concern lives in shell/ or
// ipc/ and takes Electron's objects as parameters; this file wires them in start-up order.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  protocol,
  session,
  shell,
  Tray,
} from 'electron'
import { join } from 'node:path'
import ElectronStore from 'electron-store'
import type { Notice } from '../common/contract'
import { createBridgeOperations } from './admin/bridge-operations'
import { forwardBridgeEvents } from './admin/bridge-events'
// The engine factory; if its options change, this call is the one place to follow.
import { createEngine } from './core/engine'
import { registerBridgeHandlers } from './ipc/register-handlers'
import { createSenderCheck } from './ipc/sender-check'
import { createWindowEmitter } from './ipc/window-events'
import { headlessArgvOf } from './headless/headless-args'
import { appPaths } from './shell/app-paths'
import { runHeadlessApp } from './shell/headless-app'
import { openAppStore } from './shell/app-store'
import { stopBeforeQuit } from './shell/lifecycle'
import { applyLoginItem } from './shell/login-item'
import { registerRendererScheme, RENDERER_URL, serveRenderer } from './shell/renderer-protocol'
import { createOpenFolder } from './shell/open-folder'
import { createSaveText } from './shell/save-text'
import { denyAllPermissions, guardWebContents } from './shell/security'
import { claimSingleInstance } from './shell/single-instance'
import { bindTray } from './shell/tray'
import { userDataOverride } from './shell/user-data-override'
import { hideOnClose, mainWindowOptions, revealWindow } from './shell/window'

const APP_ID = 'lab.serialbridge.app'

const paths = appPaths({
  mainUrl: import.meta.url,
  isPackaged: app.isPackaged,
  appPath: app.getAppPath(),
  resourcesPath: process.resourcesPath,
})
// `electron-vite dev` serves the renderer with hot reload; a build loads it from app://.
const devRendererUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const rendererUrl = devRendererUrl ?? RENDERER_URL
const loginItemContext = {
  platform: process.platform,
  portableExecutable: process.env.PORTABLE_EXECUTABLE_FILE,
}

let win: BrowserWindow | null = null
// Held here so the tray icon is not garbage-collected away.
let tray: Tray | null = null

const userData = userDataOverride(app.isPackaged, process.env)
if (userData) app.setPath('userData', userData)

// `"Serial Bridge.exe" --headless --config FILE`: the bridge alone, decided before any window.
const headlessArgv = headlessArgvOf(process.argv)
if (headlessArgv) {
  void runHeadlessApp(app, {
    argv: headlessArgv,
    uiDir: paths.rendererRoot,
    signals: process,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  })
} else {
  registerRendererScheme(protocol)
  if (!claimSingleInstance(app, () => win && revealWindow(win))) {
    app.quit()
  } else {
    app.setAppUserModelId(APP_ID)
    app.on('web-contents-created', (_event, contents) => guardWebContents(contents))
    app.whenReady().then(start).catch(fail)
  }
}

async function start(): Promise<void> {
  denyAllPermissions(session.defaultSession)
  if (!devRendererUrl) serveRenderer(protocol, paths.rendererRoot)

  const store = await openAppStore(app.getPath('userData'), (options) => new ElectronStore(options))
  const engine = createEngine({
    settings: store.settings,
    persist: (s) => store.saveSettings(s),
    // server.tls "auto" keeps its certificate here.
    dataDir: app.getPath('userData'),
    recordingsDir: join(app.getPath('documents'), 'Serial Bridge', 'recordings'),
  })
  const isQuitting = stopBeforeQuit(app, () => engine.stop())

  const emit = createWindowEmitter(() => win?.webContents ?? null)
  forwardBridgeEvents(engine, emit)
  const notify = (notice: Notice): void => {
    emit('notice', notice)
    void dialog.showMessageBox({
      type: notice.level,
      title: 'Serial Bridge',
      message: notice.message,
    })
  }

  const operations = createBridgeOperations(engine, {
    getPreferences: () => store.preferences(),
    setPreferences(input) {
      const preferences = store.setPreferences(input)
      applyLoginItem(app, preferences, loginItemContext)
      return preferences
    },
    saveText: createSaveText(
      async (defaultPath) => {
        const answer = win
          ? await dialog.showSaveDialog(win, { defaultPath })
          : await dialog.showSaveDialog({ defaultPath })
        return answer.canceled || !answer.filePath ? null : answer.filePath
      },
      () => app.getPath('documents'),
    ),
    openFolder: createOpenFolder(shell),
    downloadUrl: async () => ({
      ok: false,
      errors: ['the desktop app opens the recordings folder instead of downloading'],
    }),
  })
  registerBridgeHandlers({
    ipcMain,
    operations,
    isTrustedSender: createSenderCheck(rendererUrl),
    onRefused: (operation, reason) => console.warn(`IPC ${operation} refused: ${reason}`),
  })
  applyLoginItem(app, store.preferences(), loginItemContext)

  win = new BrowserWindow(
    mainWindowOptions({
      preload: paths.preload,
      show: !store.preferences().startMinimized,
      icon: paths.icon,
    }),
  )
  hideOnClose(win, () => !isQuitting() && store.preferences().closeToTray)
  win.on('closed', () => {
    win = null
  })
  // Windows is logging off or shutting down: quit properly rather than hide and hold it up.
  win.on('session-end', () => app.quit())
  const { notice } = store
  if (notice) win.webContents.once('did-finish-load', () => notify(notice))
  void win.loadURL(rendererUrl)

  tray = new Tray(nativeImage.createFromPath(paths.trayIcon))
  bindTray(tray, (template) => Menu.buildFromTemplate(template), engine, {
    show: () => win && revealWindow(win),
    openAll: () => void engine.openAllPorts(),
    closeAll: () => void engine.closeAllPorts(),
    quit: () => app.quit(),
  })
  // Only reached when the window really closed (close-to-tray off): nothing left to show.
  app.on('window-all-closed', () => app.quit())

  const status = await engine.start()
  if (status.state === 'error') {
    notify({ level: 'error', message: `The WebSocket server could not start: ${status.error}` })
  }
}

function fail(error: unknown): void {
  dialog.showErrorBox('Serial Bridge could not start', String((error as Error)?.stack ?? error))
  app.exit(1)
}
