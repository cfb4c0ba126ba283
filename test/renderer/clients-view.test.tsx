import './dom-setup'
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { clientInfo, createBridgeStandIn } from './bridge-stand-in'
import { cleanup, renderApp } from './render-app'

afterEach(cleanup)

describe('Clients view', () => {
  test('lists clients live; Disconnect and Read-only call the bridge', async () => {
    const bridge = createBridgeStandIn()
    bridge.clients = [
      clientInfo('c1'),
      clientInfo('c2', { origin: 'http://localhost:3000', endpoint: '/ws', dropped: 3 }),
    ]
    renderApp(bridge, { initialTab: 'Clients' })
    await screen.findByRole('heading', { name: 'Connected tools (2)' })
    assert.ok(screen.getByText('http://localhost:3000'))

    fireEvent.click(screen.getByRole('checkbox', { name: 'Read-only for c1' }))
    await screen.findByText('c1 is read-only: its writes are refused')
    assert.deepEqual(bridge.calls.find((c) => c.op === 'setClientReadOnly')?.args, ['c1', true])
    assert.equal(
      (screen.getByRole('checkbox', { name: 'Read-only for c1' }) as HTMLInputElement).checked,
      true,
    )

    fireEvent.click(screen.getByRole('button', { name: 'Disconnect c2' }))
    await screen.findByText('c2 was disconnected')
    assert.deepEqual(bridge.calls.find((c) => c.op === 'disconnectClient')?.args, ['c2'])
    await screen.findByRole('heading', { name: 'Connected tools (1)' })

    bridge.emit('clients', [...bridge.clients, clientInfo('c3', { remoteAddress: '10.0.0.7' })])
    await screen.findByText('10.0.0.7')
  })

  test('refused connections are listed; "Allow this origin" adds the origin', async () => {
    const bridge = createBridgeStandIn()
    bridge.refused = [
      {
        at: '2026-11-20T10:00:00.000Z',
        remoteAddress: '127.0.0.1',
        origin: null,
        host: '127.0.0.1:8765',
        endpoint: '/ws',
        reason: 'token',
        status: 401,
        message: 'A token is required',
      },
    ]
    renderApp(bridge, { initialTab: 'Clients' })
    await screen.findByText('wrong or missing token')
    assert.equal(screen.queryByRole('button', { name: /Allow this origin/ }), null)

    bridge.emit('refused', {
      at: '2026-11-20T10:01:00.000Z',
      remoteAddress: '127.0.0.1',
      origin: 'http://lab-dashboard.local:8080',
      host: '127.0.0.1:8765',
      endpoint: '/ports/sim-demo',
      reason: 'origin',
      status: 403,
      message: 'Origin http://lab-dashboard.local:8080 is not allowed',
    })
    const allow = await screen.findByRole('button', {
      name: 'Allow this origin: http://lab-dashboard.local:8080',
    })
    const row = allow.closest('tr')!
    assert.ok(within(row).getByText('web page not allowed'))
    fireEvent.click(allow)
    await screen.findByText(
      'http://lab-dashboard.local:8080 is allowed now: reload that page to connect',
    )
    assert.deepEqual(bridge.calls.find((c) => c.op === 'allowOrigin')?.args, [
      'http://lab-dashboard.local:8080',
    ])
    assert.deepEqual(bridge.settings.server.allowedOrigins, ['http://lab-dashboard.local:8080'])
    await waitFor(() => assert.ok(within(row).getByText('allowed')))
  })
})
