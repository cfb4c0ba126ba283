// Waits (up to 60 s) until a Serial Bridge answers on the control endpoint, then prints its
// hello line: `node scripts/windows/wait-for-bridge.mjs ws://127.0.0.1:8765`. For the
// Windows workflow, which starts the installed app headless and as a service.
import { setTimeout } from 'node:timers'
import WebSocket from 'ws'

const url = `${process.argv[2] ?? 'ws://127.0.0.1:8765'}/ws`
const deadline = Date.now() + 60_000

function attempt() {
  const ws = new WebSocket(url)
  ws.once('message', (data) => {
    const hello = JSON.parse(String(data))
    console.log(`${hello.server}: ${hello.ports.map((p) => `${p.id} ${p.state}`).join(', ')}`)
    ws.close()
    process.exit(hello.type === 'hello' ? 0 : 1)
  })
  ws.once('error', (error) => {
    if (Date.now() > deadline) {
      console.error(`no bridge at ${url}: ${error.message}`)
      process.exit(1)
    }
    setTimeout(attempt, 1000)
  })
}
attempt()
