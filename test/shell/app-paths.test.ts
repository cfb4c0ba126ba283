import assert from 'node:assert/strict'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, it } from 'node:test'
import { appPaths } from '../../main/shell/app-paths'

describe('app paths', () => {
  const project = join('/', 'work', 'serial-bridge')
  const mainUrl = pathToFileURL(join(project, 'out', 'main', 'index.js')).href

  it('finds the built preload and renderer beside the built main script', () => {
    const paths = appPaths({ mainUrl, isPackaged: false, appPath: project, resourcesPath: '/x' })
    assert.equal(paths.preload, join(project, 'out', 'preload', 'index.cjs'))
    assert.equal(paths.rendererRoot, join(project, 'out', 'renderer'))
    assert.equal(paths.icon, join(project, 'build', 'icon.png'))
    assert.equal(paths.trayIcon, join(project, 'build', 'tray.png'))
  })

  it('takes icons from the packaged resources folder', () => {
    const resources = join('/', 'opt', 'Serial Bridge', 'resources')
    const paths = appPaths({
      mainUrl,
      isPackaged: true,
      appPath: '/ignored',
      resourcesPath: resources,
    })
    assert.equal(paths.icon, join(resources, 'icon.png'))
    assert.equal(paths.trayIcon, join(resources, 'tray.png'))
  })
})
