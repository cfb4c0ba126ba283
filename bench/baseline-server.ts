import { readFileSync } from 'node:fs'
import { ReadlineParser, SerialPort } from 'serialport'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Settings } from '../common/settings-schema'

/**
 * The bare pipeline the bridge is measured against (issue 4): serialport + readline parser +
 * `ws`, each line broadcast as a text frame. No limits, no protocol, no backpressure. Started
 * like headless mode: `--config FILE`, prints `listening on ws://HOST:PORT`.
 */
const config = JSON.parse(
  readFileSync(process.argv[process.argv.indexOf('--config') + 1] ?? '', 'utf8'),
) as Settings
const streams = new Map<string, { port: SerialPort; clients: Set<WebSocket> }>()
for (const p of config.ports) {
  const port = new SerialPort({ path: p.path, baudRate: p.baudRate })
  const clients = new Set<WebSocket>()
  port.on('error', (e) => console.error(`${p.id}: ${e.message}`))
  port.pipe(new ReadlineParser({ delimiter: '\n' })).on('data', (line: string) => {
    for (const ws of clients) ws.send(line)
  })
  streams.set(`/ports/${p.id}`, { port, clients })
}

const wss = new WebSocketServer({
  host: config.server.host,
  port: config.server.port,
  perMessageDeflate: false,
})
wss.on('connection', (ws, req) => {
  const stream = streams.get(req.url ?? '')
  if (!stream) return ws.close(1008, 'unknown port')
  stream.clients.add(ws)
  ws.on('message', (data, isBinary) => stream.port.write(isBinary ? data : `${data.toString()}\n`))
  ws.on('close', () => stream.clients.delete(ws))
})
wss.on('listening', () => {
  const a = wss.address()
  if (a && typeof a === 'object') console.log(`listening on ws://${a.address}:${a.port}`)
})

process.once('SIGTERM', () => process.exit(0))
process.once('SIGINT', () => process.exit(0))
