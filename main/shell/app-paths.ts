import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where the built pieces are, relative to the built main script (`out/main/index.js`). */
export interface AppPaths {
  preload: string
  rendererRoot: string
  icon: string
  trayIcon: string
}

export interface AppLocation {
  /** `import.meta.url` of the built main script. */
  mainUrl: string
  isPackaged: boolean
  /** `app.getAppPath()`: the project folder in development. */
  appPath: string
  /** `process.resourcesPath`: where electron-builder's `extraResources` land. */
  resourcesPath: string
}

export function appPaths(location: AppLocation): AppPaths {
  const out = join(dirname(fileURLToPath(location.mainUrl)), '..')
  const assets = location.isPackaged ? location.resourcesPath : join(location.appPath, 'build')
  return {
    preload: join(out, 'preload', 'index.cjs'),
    rendererRoot: join(out, 'renderer'),
    icon: join(assets, 'icon.png'),
    trayIcon: join(assets, 'tray.png'),
  }
}
