import assert from 'node:assert/strict'
import { request } from 'node:http'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { serveStaticUi } from '../../main/admin/static-ui'
import { CONTENT_SECURITY_POLICY } from '../../main/admin/static-files'
import { rendererResponse } from '../../main/shell/renderer-protocol'
import { startEngine } from '../helpers/engine-fixture'
import { getRequest, rawRequest } from '../helpers/raw-http'

interface Answer {
  status: number
  headers: Record<string, string>
  body: string
}

/** Browser mode and the desktop window serve the UI through one module: same files, same headers. */
describe('the UI files, over HTTP (/app/) and app://bridge/', () => {
  const base = mkdtempSync(join(tmpdir(), 'sb-static-'))
  const root = join(base, 'renderer')
  let bridge: Awaited<ReturnType<typeof startEngine>>
  let port: number

  const http = (path: string, method = 'GET') =>
    new Promise<Answer>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, method }, (res) => {
        let body = ''
        res.on('data', (d: Buffer) => (body += d.toString()))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers as Record<string, string>,
            body,
          }),
        )
      })
        .on('error', reject)
        .end()
    })
  const app = async (path: string): Promise<Answer> => {
    const response = await rendererResponse(root, `app://bridge${path}`)
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
    }
  }

  before(async () => {
    mkdirSync(join(root, 'assets', 'sub'), { recursive: true })
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Serial Bridge</title>')
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)')
    writeFileSync(join(root, 'assets', 'style.css'), 'body{}')
    writeFileSync(join(base, 'secret.txt'), 'outside the renderer')
    bridge = await startEngine({}, { extensions: [serveStaticUi(root, () => undefined)] })
    port = Number(new URL(bridge.url).port)
  })
  after(async () => {
    await bridge.stop()
    rmSync(base, { recursive: true, force: true })
  })

  it('serves the same files with the same headers and the one CSP', async () => {
    for (const [path, type] of [
      ['index.html', 'text/html; charset=utf-8'],
      ['', 'text/html; charset=utf-8'],
      ['assets/index-abc.js', 'text/javascript; charset=utf-8'],
      ['assets/style.css', 'text/css; charset=utf-8'],
    ]) {
      const viaHttp = await http(`/app/${path}`)
      const viaApp = await app(`/${path}`)
      assert.equal(viaHttp.status, 200, path)
      assert.equal(viaApp.status, 200, path)
      assert.equal(viaHttp.body, viaApp.body)
      for (const answer of [viaHttp, viaApp]) {
        assert.equal(answer.headers['content-type'], type, path)
        assert.equal(answer.headers['content-security-policy'], CONTENT_SECURITY_POLICY)
        assert.equal(answer.headers['x-content-type-options'], 'nosniff')
        assert.equal(answer.headers['cross-origin-resource-policy'], 'same-origin')
      }
    }
  })

  it('never reads outside the folder, nor a folder, however the path is spelled: 404 for both', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/%2e%2e%5c%2e%2e%5csecret.txt',
      '/%00index.html',
      '/index.html%00.js',
      '/assets',
      '/assets/sub',
      '/%',
      '/%E0',
      '/%E0%A4%A',
      '/missing.js',
    ]) {
      // Sent raw: an HTTP client would normalise the dots away before the server sees them.
      const viaHttp = await rawRequest(port, getRequest(`/app${path}`))
      const viaApp = await app(path)
      assert.equal(viaHttp.status, 404, `http ${path}`)
      assert.equal(viaApp.status, 404, `app ${path}`)
      assert.doesNotMatch(viaHttp.head + viaApp.body, /outside the renderer/)
    }
    assert.equal((await rendererResponse(root, 'app://other/index.html')).status, 404)
  })

  it('over HTTP: HEAD gets the head, writes get 405, /app redirects to /app/', async () => {
    const head = await http('/app/index.html', 'HEAD')
    assert.equal(head.status, 200)
    assert.equal(head.headers['content-length'], '43')
    assert.equal(head.body, '')
    const post = await http('/app/index.html', 'POST')
    assert.equal(post.status, 405)
    assert.equal(post.headers.allow, 'GET, HEAD')
    const redirect = await http('/app')
    assert.equal(redirect.status, 301)
    assert.equal(redirect.headers.location, '/app/')
  })

  it('has a CSP that allows only our own scripts, styles and connections; no plugins or frames', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/)
        return [name!, values.join(' ')]
      }),
    )
    assert.equal(directives.get('default-src'), "'none'")
    assert.equal(directives.get('script-src'), "'self'")
    assert.equal(directives.get('style-src'), "'self'")
    assert.equal(directives.get('connect-src'), "'self'")
    assert.equal(directives.get('object-src'), "'none'")
    assert.equal(directives.get('frame-ancestors'), "'none'")
    assert.equal(directives.get('base-uri'), "'none'")
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval|\*/)
  })
})
