import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { WebSocketServer } from 'ws'
import { ADMIN_PATH, UI_PATH, type AdminCall, type AdminMessage } from '../../common/admin-wire'
import { eventChannels, type BridgeApi, type EventName } from '../../common/contract'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}

export interface PreviewServer {
  /** Opens the UI already authorised. */
  uiUrl: string
  close(): Promise<void>
}

/**
 * Serves the built renderer at /app/ and the admin wire format at /admin, answered by any
 * `BridgeApi` (here: the test stand-in). Used to look at the UI in real Chromium before
 * headless mode's own /admin exists; not a replacement for it.
 */
export async function startPreviewServer(
  root: string,
  bridge: BridgeApi,
  adminToken: string,
  host = '127.0.0.1',
): Promise<PreviewServer> {
  const http: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (!url.pathname.startsWith(UI_PATH)) {
      res.writeHead(302, { location: UI_PATH }).end()
      return
    }
    const rel = normalize(url.pathname.slice(UI_PATH.length) || 'index.html')
    if (rel.startsWith('..')) return void res.writeHead(400).end()
    try {
      const body = await readFile(join(root, rel))
      res.writeHead(200, { 'content-type': types[extname(rel)] ?? 'application/octet-stream' })
      res.end(body)
    } catch {
      res.writeHead(404).end('not found')
    }
  })
  const wss = new WebSocketServer({ noServer: true })
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname !== ADMIN_PATH || url.searchParams.get('adminToken') !== adminToken) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const send = (m: AdminMessage) => ws.send(JSON.stringify(m))
      const offs = (Object.keys(eventChannels) as EventName[]).map((event) => {
        const name = `on${event[0]!.toUpperCase()}${event.slice(1)}` as keyof BridgeApi
        const subscribe = bridge[name] as (l: (p: unknown) => void) => () => void
        return subscribe((payload) => {
          if (event !== 'frames') return send({ kind: 'event', event, payload })
          const batch = payload as Parameters<Parameters<BridgeApi['onFrames']>[0]>[0]
          send({
            kind: 'frames',
            dropped: batch.dropped,
            frames: batch.frames.map((f) => ({
              ...f,
              data: Buffer.from(f.data).toString('base64'),
            })),
          })
        })
      })
      ws.on('close', () => offs.forEach((off) => off()))
      ws.on('message', async (data) => {
        const call = JSON.parse(String(data)) as AdminCall
        try {
          const fn = bridge[call.op] as (...args: unknown[]) => Promise<unknown>
          send({ kind: 'result', seq: call.seq, ok: true, value: await fn(...call.args) })
        } catch (error) {
          send({ kind: 'result', seq: call.seq, ok: false, error: (error as Error).message })
        }
      })
    })
  })
  await new Promise<void>((resolve) => http.listen(0, host, resolve))
  const { port } = http.address() as AddressInfo
  return {
    uiUrl: `http://${host}:${port}${UI_PATH}?adminToken=${adminToken}`,
    async close() {
      for (const ws of wss.clients) ws.terminate()
      wss.close()
      http.closeAllConnections()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}
