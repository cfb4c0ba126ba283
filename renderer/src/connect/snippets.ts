/** Copy-ready code that connects a tool to one port's stream (text frames, one per line). */
export interface Snippet {
  id: 'python' | 'browser' | 'node' | 'node-red'
  title: string
  note: string
  code: string
}

const py = (s: string) => JSON.stringify(s)
/** An `*IDN?` answer: four comma-separated fields, which a streamed reading like T=22.5,RH=45 is not. */
const IDN_ANSWER = '^[^,=]+(,[^,]*){3}$'
/** The control endpoint beside a port's stream URL, with the same `?token=`. */
const controlUrl = (url: string) => url.replace(/\/ports\/[^?#]*/, '/ws')
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
import json
import websockets

URL = ${py(url)}
CONTROL = ${py(controlUrl(url))}


async def main():
    # A question and its answer: "query" on the control endpoint. "expect" skips the
    # lines the instrument streams meanwhile.
    async with websockets.connect(CONTROL) as ws:
        await ws.recv()  # hello
        query = {"type": "query", "port": ${py(portId)}, "data": "*IDN?",
                 "expect": ${py(IDN_ANSWER)}, "id": 1}
        await ws.send(json.dumps(query))
        async for message in ws:
            answer = json.loads(message)
            if answer.get("id") == 1:
                print(answer.get("data") or answer.get("message"))
                break
    async with websockets.connect(URL) as ws:
        async for line in ws:  # one message per line from the port
            print(line)


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

// One message per line from the port; what you send is written to it.
const ws = new WebSocket(${js(url)})
ws.on('message', (data) => console.log(data.toString()))
ws.on('close', (code, reason) => console.log('closed', code, reason.toString()))

// A question and its answer: "query" on the control endpoint. "expect" skips the lines
// the instrument streams meanwhile.
const control = new WebSocket(${js(controlUrl(url))})
control.on('open', () =>
  control.send(JSON.stringify({
    type: 'query', port: ${js(portId)}, data: '*IDN?', expect: ${js(IDN_ANSWER)}, id: 1,
  })),
)
control.on('message', (data) => {
  const answer = JSON.parse(data.toString())
  if (answer.id === 1) console.log('*IDN?', answer.data ?? answer.message)
})
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
