// A port's numbers in batches, for a plot or a dashboard: one `samples` message per interval
// instead of one `data` message per frame. Node.js with the `ws` package (npm install ws).
// Usage: node samples.mjs [URL] [PORT_ID] [BATCHES]
//   URL      default: $SERIAL_BRIDGE_URL, else ws://127.0.0.1:8765
//   PORT_ID  default: $SERIAL_BRIDGE_PORT, else demo (its `parse` setting makes the numbers)
//   BATCHES  how many batches to print before closing (default 3)
import process from 'node:process'
import WebSocket from 'ws'

const url = process.argv[2] ?? process.env.SERIAL_BRIDGE_URL ?? 'ws://127.0.0.1:8765'
const port = process.argv[3] ?? process.env.SERIAL_BRIDGE_PORT ?? 'demo'
const batches = Number(process.argv[4] ?? 3)

const ws = new WebSocket(`${url}/ws`)
let printed = 0

ws.on('message', (raw) => {
  const message = JSON.parse(raw.toString())
  switch (message.type) {
    case 'hello':
      if (!message.features?.includes('samples')) {
        console.error(`${message.server} does not send samples`)
        process.exitCode = 1
        return ws.close(1000)
      }
      ws.send(JSON.stringify({ type: 'subscribe', ports: [port], samples: { intervalMs: 500 } }))
      break
    case 'samples': {
      // One column per channel, null where a frame did not have it.
      const columns = Object.entries(message.values).map(([name, column]) => {
        const numbers = column.filter((v) => v !== null)
        const unit = message.units?.[name] ?? ''
        return `${name} ${Math.min(...numbers)}..${Math.max(...numbers)}${unit}`
      })
      console.log(`${message.port}: ${message.count} frames, ${columns.join(', ')}`)
      if (++printed >= batches) ws.close(1000)
      break
    }
    case 'error':
      console.error(`error ${message.code}: ${message.message}`)
      process.exitCode = 1
      ws.close(1000)
      break
  }
})
ws.on('error', (error) => {
  console.error(`cannot connect to ${url}: ${error.message}`)
  process.exitCode = 1
})
