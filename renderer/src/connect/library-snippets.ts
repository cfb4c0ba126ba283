import type { Snippet } from './snippets'

/**
 * Copy-ready code with the project's client libraries (docs/clients.md): they reconnect,
 * resume without loss where the bridge offers it, and say where frames were lost.
 */
export interface LibrarySnippet extends Omit<Snippet, 'id'> {
  id: 'python-library' | 'node-library'
}

const py = (s: string) => JSON.stringify(s)
const js = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

const TLS_NOTE =
  ' With TLS the library checks the certificate the usual way: a self-signed one must be' +
  ' trusted by the system first; the snippets above pin it instead.'

/** `serverUrl` is the bridge's own address (`ws://127.0.0.1:8765`), not a port's. */
export function librarySnippets(
  serverUrl: string,
  portId: string,
  token: string | null,
): LibrarySnippet[] {
  const base = serverUrl.replace(/\/+$/, '')
  const tls = base.startsWith('wss:') ? TLS_NOTE : ''
  return [
    {
      id: 'python-library',
      title: 'Python (serialbridge)',
      note:
        'pip install ./clients/python from the Serial Bridge repository (docs/clients.md). ' +
        'It reconnects by itself and resumes where it stopped: no line twice, and a Gap where ' +
        `lines were lost.${tls}`,
      code: `import serialbridge

URL = ${py(base)}
PORT = ${py(portId)}

with serialbridge.SyncBridge(URL${token ? `, token=${py(token)}` : ''}, client="my-script") as bridge:
    print(bridge.query(PORT, "*IDN?", timeout=2).text)
    for item in bridge.stream(PORT):
        if isinstance(item, serialbridge.Gap):
            print("lost:", item)  # frames the bridge could not replay
        else:
            print(item.ts.isoformat(), item.text)
`,
    },
    {
      id: 'node-library',
      title: 'JavaScript (@serial-bridge/client)',
      note:
        'npm install ./clients/js from the Serial Bridge repository (docs/clients.md); the ' +
        'same code runs in a browser page whose origin is allowed. It reconnects and resumes ' +
        `like the Python one.${tls}`,
      code: `import { connect, Gap } from '@serial-bridge/client'

const PORT = ${js(portId)}
const bridge = await connect(${js(base)}, { ${token ? `token: ${js(token)}, ` : ''}client: 'my-rig' })
console.log((await bridge.query(PORT, '*IDN?', { timeoutMs: 2000 })).text)
for await (const item of bridge.stream(PORT)) {
  if (item instanceof Gap) console.log('lost:', String(item)) // frames the bridge could not replay
  else console.log(item.ts.toISOString(), item.text)
}
`,
    },
  ]
}
