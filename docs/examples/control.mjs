// Serial Bridge control endpoint from Node.js with the `ws` package (npm install ws).
// Usage: node control.mjs [URL] [PORT_ID] [LINES]
//   URL      default: $SERIAL_BRIDGE_URL, else ws://127.0.0.1:8765
//   PORT_ID  default: $SERIAL_BRIDGE_PORT, else demo
//   LINES    how many data messages to print before closing (default 3)
import process from 'node:process'
import WebSocket from 'ws'

const url = process.argv[2] ?? process.env.SERIAL_BRIDGE_URL ?? 'ws://127.0.0.1:8765'
const port = process.argv[3] ?? process.env.SERIAL_BRIDGE_PORT ?? 'demo'
const lines = Number(process.argv[4] ?? 3)

const ws = new WebSocket(`${url}/ws`)
const pending = new Map()
let nextId = 1
let hello
let onHello
let dataSeen = 0
let onData = () => {}

/** Sends a request with a fresh id; resolves with the answer carrying that id, rejects on `error`. */
function request(message) {
  const id = nextId++
  ws.send(JSON.stringify({ ...message, id }))
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }))
}

ws.on('message', (raw) => {
  const message = JSON.parse(raw.toString())
  const waiting = pending.get(message.id)
  if (waiting) {
    pending.delete(message.id)
    if (message.type === 'error') waiting.reject(new Error(`${message.code}: ${message.message}`))
    else waiting.resolve(message)
    return
  }
  switch (message.type) {
    case 'hello':
      hello = message
      onHello?.()
      break
    case 'data': {
      const text = message.encoding === 'utf8' ? message.data : `(base64) ${message.data}`
      console.log(`data ${message.port} #${message.seq} ${message.ts} ${text}`)
      dataSeen += 1
      onData()
      break
    }
    case 'status':
      console.log(`status ${message.port}: ${message.state} ${message.error ?? ''}`)
      break
    case 'lagged':
      console.log(`lagged: ${message.dropped} frames of ${message.port} were dropped`)
      break
    case 'error':
      console.error(`error ${message.code}: ${message.message}`)
      break
  }
})

// A refused upgrade (403 Origin/Host, 401 token, 404 unknown path, 503 too many clients).
ws.on('unexpected-response', (_request, response) => {
  console.error(`refused: HTTP ${response.statusCode}`)
  process.exitCode = 1
  ws.terminate()
})
ws.on('error', (error) => {
  console.error(`cannot connect to ${url}: ${error.message}`)
  process.exitCode = 1
})
ws.on('close', (code, reason) => {
  // 1000 is our own close; 1001 server shutting down, 1008 kicked, 1013 too slow.
  if (code === 1000) return
  console.error(`closed: ${code} ${reason}`)
  process.exitCode = 1
})

async function main() {
  await new Promise((resolve) => (hello ? resolve() : (onHello = resolve)))
  console.log(`connected to ${hello.server} as ${hello.clientId}`)
  for (const info of hello.ports) console.log(`port ${info.id} (${info.path}): ${info.state}`)

  const subscribed = await request({ type: 'subscribe', ports: [port] })
  console.log(`subscribed: ${subscribed.ports.join(', ')}`)

  // `expect`: the port streams readings too; only an *IDN? answer (four fields) is the reply.
  const expect = '^[^,=]+(,[^,]*){3}$'
  const reply = await request({ type: 'query', port, data: '*IDN?', expect, timeoutMs: 2000 })
  console.log(`reply: ${reply.data}`)

  const ack = await request({ type: 'write', port, data: 'hello' })
  console.log(`ack: ${ack.bytes} bytes written`)

  await new Promise((resolve) => {
    onData = () => dataSeen >= lines && resolve()
    onData()
  })
  ws.close(1000)
}

main().catch((error) => {
  console.error(error.message)
  process.exitCode = 1
  ws.close(1000)
})
