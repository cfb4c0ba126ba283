import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, describe, it } from 'node:test'
import { runInNewContext } from 'node:vm'
import { build } from 'electron-vite'
import { invokeChannels, type BridgeApi } from '../../common/contract'
import { FakeContextBridge, FakeIpcMain, FakeIpcRenderer } from '../shell/electron-stand-in'

/**
 * Builds the preload with the project's electron-vite config (the preload part only) and runs
 * the output the way a sandboxed preload runs: CommonJS, with `require` limited to `electron`.
 */
describe('built preload', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-preload-'))
  // The config must sit inside the project so its imports (vite plugins) resolve.
  mkdirSync('.tmp', { recursive: true })
  const configDir = mkdtempSync(join('.tmp', 'preload-build-'))
  after(() => {
    rmSync(dir, { recursive: true, force: true })
    rmSync(configDir, { recursive: true, force: true })
  })

  it('is one CommonJS file that requires only electron and exposes the bridge', async () => {
    const configFile = resolve(configDir, 'electron.vite.config.mjs')
    const projectConfig = resolve('electron.vite.config.ts').replace(/\\/g, '/')
    writeFileSync(
      configFile,
      `import config from '${projectConfig}'\nexport default { preload: config.preload }\n`,
    )
    await build({ configFile, root: process.cwd(), logLevel: 'silent', build: { outDir: dir } })

    const outDir = join(dir, 'preload')
    assert.deepEqual(readdirSync(outDir), ['index.cjs'])
    const code = readFileSync(join(outDir, 'index.cjs'), 'utf8')

    const ipcMain = new FakeIpcMain()
    ipcMain.handle(invokeChannels.listPorts, () => ['answered'])
    const contextBridge = new FakeContextBridge()
    const electron = {
      contextBridge,
      ipcRenderer: new FakeIpcRenderer(ipcMain, 'app://bridge/index.html'),
    }
    const required: string[] = []
    const sandboxRequire = (name: string): unknown => {
      required.push(name)
      if (name === 'electron') return electron
      throw new Error(`a sandboxed preload cannot require "${name}"`)
    }
    const module = { exports: {} }
    runInNewContext(code, { require: sandboxRequire, module, exports: module.exports })

    assert.deepEqual(required, ['electron'])
    const bridge = contextBridge.exposed.get('bridge') as BridgeApi
    assert.equal(bridge.kind, 'electron')
    assert.deepEqual(await bridge.listPorts(), ['answered'])
  })
})
