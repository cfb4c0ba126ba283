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

/**
 * A certificate pinned by its SHA-256 fingerprint (what Settings and headless mode show):
 * the client reads the server's certificate, checks the fingerprint, then trusts exactly that
 * certificate, before any token is sent. A self-signed certificate is usable that way without
 * turning verification off.
 */
export function connectSnippets(
  url: string,
  portId: string,
  fingerprint: string | null = null,
): Snippet[] {
  const pin = fingerprint && url.startsWith('wss:') ? fingerprint : null
  return [
    python(url, portId, pin),
    {
      id: 'browser',
      title: 'Browser JavaScript',
      note:
        'Add the page\'s origin (e.g. http://localhost:3000) under Settings → allowed origins. It uses await: run it in a <script type="module"> or the browser console.' +
        (pin
          ? ' A browser cannot pin: open the https:// address once and accept the certificate if its SHA-256 fingerprint is the one shown here.'
          : ''),
      code: `${IDENTIFY_JS(url, portId, '')}console.log(await identify())
const ws = new WebSocket(${js(url)})
ws.onmessage = (event) => console.log(event.data)
ws.onclose = (event) => console.log('closed', event.code, event.reason)
`,
    },
    node(url, portId, pin),
    {
      id: 'node-red',
      title: 'Node-RED',
      note:
        'Menu → Import, paste, Deploy: a websocket-in node with its client config, and an inject that sends *IDN?.' +
        (pin
          ? " With TLS, give the client config a TLS configuration whose CA is the server's certificate file (Node-RED cannot pin a fingerprint)."
          : ''),
      code: nodeRedFlow(url, portId) + '\n',
    },
  ]
}

const PINNED_NOTE = ' The certificate is pinned by its SHA-256 fingerprint.'

/**
 * The control endpoint beside a port stream, with the same query (token): `*IDN?` is asked
 * there as a `query` with `expect`, since a port that streams (like sim:demo) would otherwise
 * hand back a reading as "the next frame" (issue 8 §2).
 */
const controlUrl = (portStreamUrl: string) => portStreamUrl.replace(/\/ports\/[^?#]*/, '/ws')

/** An *IDN? answer: maker, model, serial number, firmware; a reading like T=22.5,RH=45 is not one. */
export const IDN_ANSWER = '^[^,=]+(,[^,]*){3}$'

const IDENTIFY_JS = (
  url: string,
  portId: string,
  options: string,
) => `/** Asks *IDN? on the control endpoint; \`expect\` picks the answer out of streamed readings. */
function identify() {
  return new Promise((resolve, reject) => {
    const control = new WebSocket(${js(controlUrl(url))}${options})
    control.onopen = () =>
      control.send(JSON.stringify({ type: 'query', port: ${js(portId)}, data: '*IDN?', expect: ${js(IDN_ANSWER)}, timeoutMs: 2000, id: 'idn' }))
    control.onmessage = (event) => {
      const answer = JSON.parse(event.data)
      if (answer.id !== 'idn') return // hello, or other messages
      control.close()
      resolve(answer.type === 'reply' ? answer.data : \`*IDN? not answered: \${answer.message}\`)
    }
    control.onerror = () => reject(new Error('could not reach Serial Bridge'))
  })
}

`

function python(url: string, portId: string, pin: string | null): Snippet {
  const tls = (name: string) => (pin ? `, ssl=pinned_context(${name}, FINGERPRINT)` : '')
  const pinning = pin
    ? `FINGERPRINT = ${py(pin)}  # SHA-256, as Serial Bridge shows it


def pinned_context(url, fingerprint):
    """Trusts exactly the server's certificate, once its fingerprint is the pinned one."""
    where = urlsplit(url)
    pem = ssl.get_server_certificate((where.hostname, where.port))
    digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).digest()
    seen = ":".join(f"{b:02X}" for b in digest)
    if seen != fingerprint.upper():
        raise SystemExit(f"not the pinned certificate: {seen}")
    context = ssl.create_default_context(cadata=pem)
    context.check_hostname = False  # the pin names the server
    return context
`
    : ''
  return {
    id: 'python',
    title: 'Python (websockets)',
    note: `pip install websockets.${pin ? PINNED_NOTE : ''}`,
    code: `import asyncio
${pin ? 'import hashlib\n' : ''}import json
${pin ? 'import ssl\nfrom urllib.parse import urlsplit\n\n' : '\n'}import websockets

URL = ${py(url)}
CONTROL_URL = ${py(controlUrl(url))}  # the control endpoint, for queries
PORT = ${py(portId)}
# An *IDN? answer: maker, model, serial number, firmware; a reading like T=22.5,RH=45 is not one.
IDN_ANSWER = ${py(IDN_ANSWER)}
${pinning}

async def identify():
    """Asks *IDN? as a query with \`expect\`: the port may stream, and a reading is not the answer."""
    async with websockets.connect(CONTROL_URL${tls('CONTROL_URL')}) as control:
        request = {"type": "query", "port": PORT, "data": "*IDN?", "expect": IDN_ANSWER,
                   "timeoutMs": 2000, "id": "idn"}
        await control.send(json.dumps(request))
        async for message in control:
            answer = json.loads(message)
            if answer.get("id") == "idn":  # skips hello and other messages
                if answer["type"] == "reply":
                    return answer["data"]
                return f"*IDN? not answered: {answer['message']}"


async def main():
    while True:  # connects again after a restart of Serial Bridge or a lost network
        try:
            print(await identify())
            async with websockets.connect(URL${tls('URL')}) as ws:
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
  }
}

function node(url: string, portId: string, pin: string | null): Snippet {
  const pinning = pin
    ? `const FINGERPRINT = ${js(pin)} // SHA-256, as Serial Bridge shows it

/** Reads the server's certificate; resolves with it only if it is the pinned one. */
function pinnedCertificate(url, fingerprint) {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      const cert = socket.getPeerX509Certificate()
      socket.end()
      if (cert.fingerprint256 === fingerprint.toUpperCase()) resolve(cert.toString())
      else reject(new Error(\`not the pinned certificate: \${cert.fingerprint256}\`))
    })
    socket.on('error', reject)
  })
}

const ca = await pinnedCertificate(URL_, FINGERPRINT)
// Trusts exactly that certificate; the pin names the server, so no host name check.
`
    : ''
  const options = pin ? ', { ca, checkServerIdentity: () => undefined }' : ''
  return {
    id: 'node',
    title: 'Node.js (ws)',
    note: `npm install ws.${pin ? PINNED_NOTE : ''}`,
    code: `${pin ? "import tls from 'node:tls'\n" : ''}import WebSocket from 'ws'

const URL_ = ${js(url)}
${pinning}${IDENTIFY_JS(url, portId, options)}console.log(await identify())
const ws = new WebSocket(URL_${options})
ws.on('message', (data) => console.log(data.toString()))
ws.on('close', (code, reason) => console.log('closed', code, reason.toString()))
`,
  }
}
