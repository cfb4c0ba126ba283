import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  registerRendererScheme,
  rendererResponse,
  RENDERER_URL,
} from '../../main/shell/renderer-protocol'
import { CONTENT_SECURITY_POLICY } from '../../main/admin/static-files'

// Path checks for app:// and /app/ alike: test/admin/static-files.test.ts.
describe('app:// renderer protocol', () => {
  const base = mkdtempSync(join(tmpdir(), 'sb-renderer-'))
  const root = join(base, 'renderer')
  before(() => {
    mkdirSync(join(root, 'assets'), { recursive: true })
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Serial Bridge</title>')
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)')
  })
  after(() => rmSync(base, { recursive: true, force: true }))

  it('serves the page with the CSP header and the right types', async () => {
    assert.equal(RENDERER_URL, 'app://bridge/index.html')
    const page = await rendererResponse(root, RENDERER_URL)
    assert.equal(page.status, 200)
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8')
    assert.equal(page.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY)
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff')
    assert.match(await page.text(), /<title>Serial Bridge<\/title>/)

    const script = await rendererResponse(root, 'app://bridge/assets/index-abc.js?v=1')
    assert.equal(script.status, 200)
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8')
    assert.equal(await script.text(), 'console.log(1)')
    assert.equal((await rendererResponse(root, 'app://bridge/')).status, 200, '/ is index.html')
  })

  it('registers app: as a standard, secure scheme that can load ES modules', () => {
    const registered: unknown[] = []
    registerRendererScheme({
      registerSchemesAsPrivileged: (schemes) => registered.push(...schemes),
    })
    assert.deepEqual(registered, [
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
      },
    ])
  })
})
