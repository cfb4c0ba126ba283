import { expect, test, type Page } from '@playwright/test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { BridgeProcess } from '../clients/js/helpers/bridge-process'
import { buildClient } from '../clients/js/helpers/client-build'
import { javascriptExamples, withUrl } from '../clients/js/helpers/docs-examples'
import { Instrument } from '../helpers/instrument'
import { SocatPair } from '../helpers/socat-pair'
import { TestClient } from '../helpers/ws-client'
import type * as ClientModule from '../../clients/js/src/index'

// @serial-bridge/client as a page loads it: its built ESM, no bundler, in Debian's Chromium,
// against headless mode whose server.allowedOrigins lists the page's origin.
let dist = ''
const pty = new SocatPair('meter')
let pages: Server
let allowed = ''
let headless: BridgeProcess
let meter: Instrument

/** A page with the package mapped by an import map, as docs/clients.md shows. */
const apiPage = `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{ "imports": { "@serial-bridge/client": "./client/index.js" } }</script>
<script type="module">
  import * as client from '@serial-bridge/client'
  window.client = client
</script></head><body></body></html>`

function serve(path: string): { type: string; body: string | Buffer } | null {
  if (path === '/api.html') return { type: 'text/html', body: apiPage }
  if (path === '/example.html') {
    const example = withUrl(javascriptExamples().browser, headless.url)
    return { type: 'text/html', body: `<!doctype html><meta charset="utf-8">${example}` }
  }
  if (!path.startsWith('/client/')) return null
  const file = normalize(join(dist, path.slice('/client/'.length)))
  if (!file.startsWith(dist)) return null
  const types: Record<string, string> = { '.js': 'text/javascript', '.map': 'application/json' }
  try {
    return { type: types[extname(file)] ?? 'text/plain', body: readFileSync(file) }
  } catch {
    return null
  }
}

/** The package's module namespace in the page. */
type Client = typeof ClientModule

/** Opens the page; resolves with the scripts it loaded (and goes on recording them). */
async function openApiPage(page: Page, origin = allowed): Promise<string[]> {
  const loaded: string[] = []
  page.on('request', (r) => r.resourceType() === 'script' && loaded.push(r.url()))
  await page.goto(`${origin}/api.html`)
  await page.waitForFunction(() => 'client' in window)
  return loaded
}

test.beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'sb-js-client-dist-'))
  buildClient(dist)
  pages = createServer((req, res) => {
    const found = serve(new URL(req.url ?? '/', 'http://x').pathname)
    if (!found) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': `${found.type}; charset=utf-8` }).end(found.body)
  })
  await new Promise<void>((done) => pages.listen(0, '127.0.0.1', done))
  allowed = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`
  await pty.plug()
  headless = await BridgeProcess.start({
    server: { port: 0, allowedOrigins: [allowed] },
    ports: [{ id: 'meter', path: pty.a, baudRate: 115200 }],
  })
  await headless.waitForStderr(/^port meter .* open$/)
  meter = await Instrument.open(pty.b)
})

test.afterAll(async () => {
  await meter?.close()
  await headless?.stop()
  await pty.dispose()
  await new Promise<void>((done) => (pages ? pages.close(() => done()) : done()))
  if (dist) rmSync(dist, { recursive: true, force: true })
})

test("the docs' browser example streams and queries as written", async ({ page }) => {
  await page.goto(`${allowed}/example.html`)
  await meter.waitForLine('*IDN?', 20_000)
  await meter.write('ACME,Model 42,A1234,2.1\n')
  await expect(page.locator('#idn')).toHaveText('ACME,Model 42,A1234,2.1')
  // The stream starts after the answer: write until a line shows that the page reads it.
  let n = 0
  await expect(async () => {
    await meter.write(`V=${++n}\n`)
    await expect(page.locator('#latest')).toHaveText(/^V=\d+$/, { timeout: 200 })
  }).toPass({ timeout: 15_000 })
})

test('from a page: stream, write, writeBytes, query and Timeout, with no ws loaded', async ({
  page,
}) => {
  const loaded = await openApiPage(page)
  const url = headless.url
  const session = page.evaluate(async (url) => {
    const { connect, Frame, Timeout } = (window as unknown as { client: Client }).client
    const bridge = await connect(url, { client: 'e2e-page' })
    const stream = bridge.stream('meter')
    await stream.ready
    ;(window as unknown as { ready: boolean }).ready = true
    const first = (await stream.next()).value
    const frame = first instanceof Frame ? { text: first.text, bytes: [...first.data] } : null
    const wrote = await bridge.write('meter', 'from the page')
    const wroteBytes = await bridge.writeBytes('meter', new Uint8Array([0x01, 0xfe, 0x0a]))
    const reply = String(await bridge.query('meter', 'MEAS?', { timeoutMs: 10_000 }))
    const timeout = await bridge.query('meter', 'SILENT?', { timeoutMs: 200 }).then(
      () => 'answered',
      (e: unknown) => (e instanceof Timeout ? e.code : String(e)),
    )
    await bridge.close()
    return { frame, wrote, wroteBytes, reply, timeout }
  }, url)
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true)
  await meter.write(Buffer.from('T=21.5\u00b0C\n', 'utf8'))
  await meter.waitForLine('MEAS?', 20_000)
  await meter.write('V=1.234\n')
  const result = await session
  expect(result).toEqual({
    frame: { text: 'T=21.5°C', bytes: [...Buffer.from('T=21.5°C')] },
    wrote: 14,
    wroteBytes: 3,
    reply: 'V=1.234',
    timeout: 'TIMEOUT',
  })
  expect(meter.lines).toContain('from the page')
  expect(meter.bytes().includes(Buffer.from([0x01, 0xfe, 0x0a]))).toBe(true)
  // The page needed nothing but the package's own files: no `ws`, nothing else.
  expect(loaded).toContain(`${allowed}/client/index.js`)
  for (const u of loaded) expect(u).toMatch(new RegExp(`^${allowed}/client/[a-z-]+\\.js$`))
})

test('a page from an origin that is not allowed gets a clear ConnectFailed', async ({ page }) => {
  // Same page, another origin: http://localhost:PORT is not the allowed http://127.0.0.1:PORT.
  const foreign = allowed.replace('127.0.0.1', 'localhost')
  await openApiPage(page, foreign)
  const url = headless.url
  const error = await page.evaluate(async (url) => {
    const { connect, ConnectFailed } = (window as unknown as { client: Client }).client
    try {
      await connect(url)
      return null
    } catch (e) {
      return { isConnectFailed: e instanceof ConnectFailed, message: (e as Error).message }
    }
  }, url)
  expect(error?.isConnectFailed).toBe(true)
  expect(error?.message).toContain(`this page's origin ${foreign} in server.allowedOrigins`)
  // What the browser hides from the page, a client that reads HTTP sees: 403 and why.
  expect(await TestClient.refusal(`${url}/ws`, { origin: foreign })).toBe(403)
})

test('a page cannot pin a certificate: fingerprint is refused in words, before connecting', async ({
  page,
}) => {
  await openApiPage(page)
  const sockets: string[] = []
  page.on('websocket', (ws) => sockets.push(ws.url()))
  const error = await page.evaluate(async () => {
    const { connect, ConnectFailed } = (window as unknown as { client: Client }).client
    const pin = Array.from({ length: 32 }, () => 'AB').join(':')
    try {
      await connect('wss://127.0.0.1:8765', { fingerprint: pin })
      return null
    } catch (e) {
      return { isConnectFailed: e instanceof ConnectFailed, message: (e as Error).message }
    }
  })
  expect(error?.isConnectFailed).toBe(true)
  expect(error?.message).toMatch(
    /^fingerprint works in Node\.js only: a browser does not let a page check/,
  )
  expect(sockets).toEqual([])
})
