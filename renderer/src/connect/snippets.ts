/** Copy-ready code that connects a tool to one port's stream (text frames, one per line). */
export interface Snippet {
  id: 'python' | 'browser' | 'node' | 'node-red'
  title: string
  note: string
  code: string
}

const py = (s: string) => JSON.stringify(s)
const js = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

function nodeRedFlow(url: string, portId: string): string {
  const flow = [
    {
      id: '5e7a1b0c00000001',
      type: 'websocket in',
      name: `Serial Bridge ${portId}`,
      server: '',
      client: '5e7a1b0c00000003',
      x: 170,
      y: 80,
      wires: [['5e7a1b0c00000002']],
    },
    {
      id: '5e7a1b0c00000002',
      type: 'debug',
      name: portId,
      active: true,
      complete: 'payload',
      x: 400,
      y: 80,
      wires: [],
    },
    {
      id: '5e7a1b0c00000003',
      type: 'websocket-client',
      path: url,
      tls: '',
      wholemsg: 'false',
      hb: '0',
      subprotocol: '',
    },
    {
      id: '5e7a1b0c00000004',
      type: 'inject',
      name: 'Send *IDN?',
      props: [{ p: 'payload' }],
      payload: '*IDN?',
      payloadType: 'str',
      x: 150,
      y: 140,
      wires: [['5e7a1b0c00000005']],
    },
    {
      id: '5e7a1b0c00000005',
      type: 'websocket out',
      name: `to ${portId}`,
      server: '',
      client: '5e7a1b0c00000003',
      x: 380,
      y: 140,
      wires: [],
    },
  ]
  return JSON.stringify(flow, null, 2)
}

export function connectSnippets(url: string, portId: string): Snippet[] {
  return [
    {
      id: 'python',
      title: 'Python (websockets)',
      note: 'pip install websockets',
      code: `import asyncio
import websockets

URL = ${py(url)}


async def main():
    while True:  # connects again after a restart of Serial Bridge or a lost network
        try:
            async with websockets.connect(URL) as ws:
                await ws.send("*IDN?")  # written to the port with its line ending
                async for line in ws:  # one message per line from the port
                    print(line)
            print("closed by Serial Bridge:", ws.close_code, ws.close_reason)
            if ws.close_code == 1008:  # the operator pressed Disconnect
                return
        except websockets.exceptions.InvalidHandshake as error:
            raise SystemExit(f"refused: {error}")  # wrong port id (404), token or origin
        except (OSError, websockets.exceptions.ConnectionClosedError) as error:
            print("connection lost:", error)
        print("connecting again in 1 s")
        await asyncio.sleep(1)


asyncio.run(main())
`,
    },
    {
      id: 'browser',
      title: 'Browser JavaScript',
      note: "Add the page's origin (e.g. http://localhost:3000) under Settings → allowed origins.",
      code: `const ws = new WebSocket(${js(url)})
ws.onopen = () => ws.send('*IDN?')
ws.onmessage = (event) => console.log(event.data)
ws.onclose = (event) => console.log('closed', event.code, event.reason)
`,
    },
    {
      id: 'node',
      title: 'Node.js (ws)',
      note: 'npm install ws',
      code: `import WebSocket from 'ws'

const ws = new WebSocket(${js(url)})
ws.on('open', () => ws.send('*IDN?'))
ws.on('message', (data) => console.log(data.toString()))
ws.on('close', (code, reason) => console.log('closed', code, reason.toString()))
`,
    },
    {
      id: 'node-red',
      title: 'Node-RED',
      note: 'Menu → Import, paste, Deploy: a websocket-in node with its client config, and an inject that sends *IDN?.',
      code: nodeRedFlow(url, portId) + '\n',
    },
  ]
}
