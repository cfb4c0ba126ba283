import { IDN_ANSWER, type Snippet } from './snippets'

/**
 * Copy-ready code with the project's client libraries (docs/clients.md): they reconnect,
 * resume without loss where the bridge offers it, and say where frames were lost.
 */
export interface LibrarySnippet extends Omit<Snippet, 'id'> {
  id: 'python-library' | 'node-library'
}

const py = (s: string) => JSON.stringify(s)
const js = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

const PINNED_NOTE =
  ' The certificate is pinned by its SHA-256 fingerprint (checked before the token is sent),' +
  ' so a self-signed one works without turning verification off.'
const BROWSER_NOTE =
  ' In a browser leave out fingerprint (a page cannot pin) and accept the certificate once instead.'

/**
 * `serverUrl` is the bridge's own address (`ws://127.0.0.1:8765`), not a port's; with TLS,
 * `fingerprint` (as Settings shows it) is pinned through the libraries' `fingerprint` option.
 */
export function librarySnippets(
  serverUrl: string,
  portId: string,
  token: string | null,
  fingerprint: string | null = null,
): LibrarySnippet[] {
  const base = serverUrl.replace(/\/+$/, '')
  const pin = fingerprint && base.startsWith('wss:') ? fingerprint : null
  const tls = pin ? PINNED_NOTE : ''
  const pyArgs = (token ? `, token=${py(token)}` : '') + (pin ? `, fingerprint=${py(pin)}` : '')
  const jsArgs = (token ? `token: ${js(token)}, ` : '') + (pin ? `fingerprint: ${js(pin)}, ` : '')
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
# An *IDN? answer: maker, model, serial number, firmware; a streamed reading is not one.
IDN_ANSWER = ${py(IDN_ANSWER)}

with serialbridge.SyncBridge(URL${pyArgs}, client="my-script") as bridge:
    print(bridge.query(PORT, "*IDN?", timeout=2, expect=IDN_ANSWER).text)
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
        `like the Python one.${tls}${pin ? BROWSER_NOTE : ''}`,
      code: `import { connect, Gap } from '@serial-bridge/client'

const PORT = ${js(portId)}
// An *IDN? answer: maker, model, serial number, firmware; a streamed reading is not one.
const IDN_ANSWER = ${js(IDN_ANSWER)}
const bridge = await connect(${js(base)}, { ${jsArgs}client: 'my-rig' })
console.log((await bridge.query(PORT, '*IDN?', { timeoutMs: 2000, expect: IDN_ANSWER })).text)
for await (const item of bridge.stream(PORT)) {
  if (item instanceof Gap) console.log('lost:', String(item)) // frames the bridge could not replay
  else console.log(item.ts.toISOString(), item.text)
}
`,
    },
  ]
}
