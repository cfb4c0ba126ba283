import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { describe, it } from 'node:test'

const ROOT = resolve(import.meta.dirname, '../..')
// electron-builder's own loader and schema check (what `electron-builder` runs before packaging),
// so a misspelt option fails here rather than on the Windows runner.
const require = createRequire(import.meta.url)
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: null, options: null): Promise<Record<string, unknown>>
  validateConfiguration(config: object, logger: object): Promise<void>
}
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => object }

describe('electron-builder.yml', () => {
  it('is valid for electron-builder 26 and turns off what a release build does not need', async () => {
    const config = await getConfig(ROOT, null, null)
    await validateConfiguration(config, new DebugLogger(false))
    assert.deepEqual(config.electronFuses, {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    })
    assert.equal(config.npmRebuild, false)
  })
})
