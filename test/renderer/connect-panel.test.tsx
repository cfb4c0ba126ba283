import './dom-setup'
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { fireEvent, screen, waitFor } from '@testing-library/react'
import { validatePortSettings, validateSettings } from '../../common/validation'
import { portUrl } from '../../renderer/src/connect/port-url'
import { createBridgeStandIn, portInfo } from './bridge-stand-in'
import { cleanup, renderApp } from './render-app'

afterEach(cleanup)

function bridgeWithPorts(token: string | null) {
  const bridge = createBridgeStandIn()
  const settings = validateSettings({ server: { token } })
  if (!settings.ok) throw new Error(settings.errors.join('; '))
  bridge.settings = settings.value
  for (const path of ['sim:demo', 'COM3']) {
    const p = validatePortSettings({ path })
    if (!p.ok) throw new Error(p.errors.join('; '))
    bridge.ports.push(portInfo(p.value))
  }
  return bridge
}

describe('Connect panel', () => {
  test('port URLs carry the token only when one is set', () => {
    assert.equal(
      portUrl('ws://127.0.0.1:8765', 'sim-demo', null),
      'ws://127.0.0.1:8765/ports/sim-demo',
    )
    assert.equal(
      portUrl('ws://127.0.0.1:8765/', 'a b', 'to&ken'),
      'ws://127.0.0.1:8765/ports/a%20b?token=to%26ken',
    )
  })

  test('every snippet contains the selected port URL, with ?token= when set', async () => {
    renderApp(bridgeWithPorts('secret-token-1'), { initialTab: 'Connect' })
    const url = 'ws://127.0.0.1:8765/ports/sim-demo?token=secret-token-1'
    for (const name of ['Python (websockets)', 'Browser JavaScript', 'Node.js (ws)', 'Node-RED']) {
      const code = await screen.findByRole('region', { name })
      assert.ok(code.textContent!.includes(url), `${name} has the URL`)
    }
    const flow = JSON.parse(screen.getByLabelText('Node-RED code').textContent!) as Array<{
      type: string
      path?: string
    }>
    assert.equal(flow.find((n) => n.type === 'websocket-client')?.path, url)
    assert.ok(flow.some((n) => n.type === 'websocket in'))

    fireEvent.change(screen.getByRole('combobox', { name: 'Port' }), { target: { value: 'COM3' } })
    await waitFor(() =>
      assert.ok(
        screen
          .getByLabelText('Python (websockets) code')
          .textContent!.includes('URL = "ws://127.0.0.1:8765/ports/COM3?token=secret-token-1"'),
      ),
    )
  })

  test('"with the library" snippets: the bridge address, the token and the port', async () => {
    renderApp(bridgeWithPorts('secret-token-1'), { initialTab: 'Connect' })
    const python = await screen.findByLabelText('Python (serialbridge) code')
    assert.ok(python.textContent!.includes('URL = "ws://127.0.0.1:8765"'))
    assert.ok(python.textContent!.includes('PORT = "sim-demo"'))
    assert.ok(python.textContent!.includes('token="secret-token-1"'))
    const js = screen.getByLabelText('JavaScript (@serial-bridge/client) code')
    assert.ok(js.textContent!.includes("connect('ws://127.0.0.1:8765', { token: 'secret-token-1'"))
    assert.ok(js.textContent!.includes("const PORT = 'sim-demo'"))
    assert.ok(screen.getByRole('heading', { name: 'With the library' }))

    fireEvent.change(screen.getByRole('combobox', { name: 'Port' }), { target: { value: 'COM3' } })
    await waitFor(() =>
      assert.ok(
        screen.getByLabelText('Python (serialbridge) code').textContent!.includes('PORT = "COM3"'),
      ),
    )
  })

  test('without a token the URL is plain; Copy reports what happened', async () => {
    renderApp(bridgeWithPorts(null), { initialTab: 'Connect' })
    const code = await screen.findByLabelText('Browser JavaScript code')
    assert.ok(code.textContent!.includes("new WebSocket('ws://127.0.0.1:8765/ports/sim-demo')"))
    fireEvent.click(screen.getByRole('button', { name: 'Copy Browser JavaScript snippet' }))
    await screen.findByText(/^(Copied|Could not copy: select the text and press Ctrl\+C)$/)
  })
})
