import './dom-setup'
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { clientInfo, createBridgeStandIn } from './bridge-stand-in'
import { cleanup, renderApp } from './render-app'

afterEach(cleanup)

const rulesSection = () => screen.getByRole('region', { name: /^Rules \(\d+\)$/ }) as HTMLElement

describe('Clients: rules by name or origin', () => {
  test('a named tool shows its name; "Always read-only" makes a rule by name', async () => {
    const bridge = createBridgeStandIn()
    bridge.clients = [clientInfo('c1', { name: 'lab-script' }), clientInfo('c2')]
    renderApp(bridge, { initialTab: 'Clients' })
    const row = (await screen.findByText('lab-script')).closest('tr')!
    assert.ok(within(row).getByText('c1'))

    fireEvent.click(within(row).getByRole('button', { name: 'Always read-only for c1' }))
    await screen.findByText('tool "lab-script" is read-only now and each time it connects')
    assert.deepEqual(bridge.calls.find((c) => c.op === 'addClientRule')?.args, [
      { match: { name: 'lab-script' }, action: 'readOnly', seconds: null },
    ])
    const box = screen.getByRole('checkbox', { name: 'Read-only for c1' }) as HTMLInputElement
    await waitFor(() => assert.equal(box.checked, true))
    assert.equal(box.disabled, true, "the operator's tick cannot undo a rule")
    assert.ok(within(box.closest('td')!).getByText('by a rule'))
    assert.equal(
      (within(row).getByRole('button', { name: 'Always read-only for c1' }) as HTMLButtonElement)
        .disabled,
      true,
      'the rule is there already',
    )

    const rules = rulesSection()
    assert.ok(within(rules).getByText('tool "lab-script"'))
    assert.ok(within(rules).getByText('read-only'))
    assert.ok(within(rules).getByText('until removed'))
  })

  test('a page without a name is blocked by origin for 10 min, and leaves the list', async () => {
    const bridge = createBridgeStandIn()
    bridge.clients = [clientInfo('c7', { origin: 'http://dashboard.lab:3000' })]
    renderApp(bridge, { initialTab: 'Clients' })
    fireEvent.click(await screen.findByRole('button', { name: 'Block c7 for 10 min' }))
    await screen.findByText(
      'page http://dashboard.lab:3000 is blocked for 10 minutes: disconnected, and refused until then',
    )
    const [request] = bridge.calls.find((c) => c.op === 'addClientRule')!.args as [
      { match: object; action: string; seconds: number },
    ]
    assert.deepEqual(request, {
      match: { origin: 'http://dashboard.lab:3000' },
      action: 'block',
      seconds: 600,
    })
    await screen.findByRole('heading', { name: 'Connected tools (0)' })
    const rules = rulesSection()
    assert.ok(within(rules).getByText('blocked'))
    assert.ok(within(rules).getByRole('button', { name: /Remove rule: page http/ }))
  })

  test('"Block until allowed"; a tool with neither name nor origin gets no rule buttons', async () => {
    const bridge = createBridgeStandIn()
    bridge.clients = [clientInfo('c1', { name: 'noisy' }), clientInfo('c2')]
    renderApp(bridge, { initialTab: 'Clients' })
    const anonymous = (await screen.findByRole('button', { name: 'Disconnect c2' })).closest('td')!
    assert.equal(within(anonymous).queryByRole('button', { name: /Block|Always/ }), null)
    assert.ok(within(anonymous).getByText(/No name or origin to make a rule for/))

    fireEvent.click(screen.getByRole('button', { name: 'Block c1 until allowed' }))
    await screen.findByText('tool "noisy" is blocked until you allow it again under Rules')
    assert.deepEqual(bridge.settings.server.clientRules, [
      { match: { name: 'noisy' }, action: 'block', until: null },
    ])
    fireEvent.click(
      within(rulesSection()).getByRole('button', { name: 'Remove rule: tool "noisy", blocked' }),
    )
    await screen.findByText('tool "noisy" may connect again')
    assert.deepEqual(bridge.calls.find((c) => c.op === 'removeClientRule')?.args, [
      { name: 'noisy' },
      'block',
    ])
    await screen.findByRole('region', { name: 'Rules (0)' })
  })

  test('a rule shows as expired once its time has passed, and can be removed', async () => {
    const bridge = createBridgeStandIn()
    const soon = new Date(Date.now() + 400).toISOString()
    bridge.settings = {
      ...bridge.settings,
      server: {
        ...bridge.settings.server,
        clientRules: [
          { match: { name: 'old' }, action: 'block', until: '2020-01-01T00:00:00.000Z' },
          { match: { name: 'soon' }, action: 'readOnly', until: soon },
        ],
      },
    }
    renderApp(bridge, { initialTab: 'Clients' })
    const oldRow = (await screen.findByText('tool "old"')).closest('tr')!
    assert.ok(within(oldRow).getByText('expired'))
    assert.ok(within(oldRow).getByRole('button', { name: 'Remove rule: tool "old", blocked' }))
    const soonRow = screen.getByText('tool "soon"').closest('tr')!
    assert.equal(within(soonRow).queryByText('expired'), null)
    await waitFor(() => assert.ok(within(soonRow).getByText('expired')), { timeout: 10_000 })
  })

  test('a rule\'s "until" is a 24-hour time, with its date when it is not today', async () => {
    const bridge = createBridgeStandIn()
    const tomorrow = new Date()
    tomorrow.setDate(tomorrow.getDate() + 1)
    tomorrow.setHours(13, 5, 0, 0)
    bridge.settings = {
      ...bridge.settings,
      server: {
        ...bridge.settings.server,
        clientRules: [{ match: { name: 'night' }, action: 'block', until: tomorrow.toISOString() }],
      },
    }
    renderApp(bridge, { initialTab: 'Clients' })
    const row = (await screen.findByText('tool "night"')).closest('tr')!
    const day = [
      tomorrow.getFullYear(),
      String(tomorrow.getMonth() + 1).padStart(2, '0'),
      String(tomorrow.getDate()).padStart(2, '0'),
    ].join('-')
    assert.ok(within(row).getByText(`${day} 13:05:00`), 'not "1:05:00 PM"')
  })

  test('a client admitted with a read-only token shows the token and cannot be unticked', async () => {
    const bridge = createBridgeStandIn()
    bridge.clients = [
      clientInfo('c4', { tokenName: 'dashboard', readOnly: true, readOnlyBy: ['token'] }),
    ]
    renderApp(bridge, { initialTab: 'Clients' })
    assert.ok(await screen.findByText('token: dashboard'))
    const box = screen.getByRole('checkbox', { name: 'Read-only for c4' }) as HTMLInputElement
    assert.equal(box.checked && box.disabled, true)
    assert.ok(screen.getByText('by its token "dashboard"'))
  })

  test('blocked and bad-name refusals say why', async () => {
    const bridge = createBridgeStandIn()
    const refusal = { remoteAddress: '127.0.0.1', origin: null, host: '127.0.0.1:8765' }
    bridge.refused = [
      {
        ...refusal,
        at: '2026-11-20T10:00:00.000Z',
        endpoint: '/ws',
        reason: 'blocked',
        status: 403,
        message:
          'Blocked by the operator (client name "noisy"), until the operator allows it again',
      },
      {
        ...refusal,
        at: '2026-11-20T10:00:01.000Z',
        endpoint: '/ws',
        reason: 'client-name',
        status: 400,
        message: '?client= must be a name of letters, digits and . _ ~ - (1 to 64 of them)',
      },
    ]
    renderApp(bridge, { initialTab: 'Clients' })
    assert.ok(await screen.findByText('blocked by a rule'))
    assert.ok(screen.getByText('bad ?client= name'))
  })
})

describe('Settings: named tokens', () => {
  /** A stand-in whose settings already hold the read-only token "wall". */
  const withWallToken = () => {
    const bridge = createBridgeStandIn()
    bridge.settings = {
      ...bridge.settings,
      server: {
        ...bridge.settings.server,
        tokens: [{ token: 'existing-token-0123456789', name: 'wall', readOnly: true }],
      },
    }
    return bridge
  }
  const section = () => screen.getByRole('region', { name: 'Named tokens' }) as HTMLElement

  test('generate, name, add (shown masked), copy and remove a read-only token', async () => {
    const bridge = createBridgeStandIn()
    renderApp(bridge, { initialTab: 'Settings' })
    await screen.findByRole('heading', { name: 'Named tokens' })
    assert.match(
      within(section()).getByText(/This is the first token/).textContent!,
      /disconnected/,
    )
    fireEvent.click(within(section()).getByRole('button', { name: 'Generate a named token' }))
    await screen.findByText('New token generated: name it and press Add token')
    fireEvent.change(within(section()).getByRole('textbox', { name: 'Token name' }), {
      target: { value: 'dashboard' },
    })
    assert.equal(
      (within(section()).getByRole('checkbox', { name: /Read-only/ }) as HTMLInputElement).checked,
      true,
      'read-only unless unticked',
    )
    fireEvent.click(within(section()).getByRole('button', { name: 'Add token' }))
    await screen.findByText(
      'Added the read-only token "dashboard": copy it from the list for the tool',
    )
    assert.deepEqual(bridge.settings.server.tokens, [
      { token: 'generated-token-0123456789abcdef', name: 'dashboard', readOnly: true },
    ])
    const row = within(section()).getByText('dashboard').closest('tr')!
    assert.ok(within(row).getByText('gene…'))
    assert.equal(section().textContent!.includes('generated-token-0123456789abcdef'), false)
    assert.ok(within(row).getByText('read only'))
    assert.ok(within(row).getByRole('button', { name: 'Copy token dashboard' }))
    assert.equal(
      (within(section()).getByRole('textbox', { name: 'Token name' }) as HTMLInputElement).value,
      '',
    )

    fireEvent.click(within(row).getByRole('button', { name: 'Remove token dashboard' }))
    await screen.findByText('Removed the token "dashboard": tools that used it were disconnected')
    assert.deepEqual(bridge.settings.server.tokens, [])
  })

  test('a short token and a duplicate name are refused, naming the field', async () => {
    const bridge = withWallToken()
    renderApp(bridge, { initialTab: 'Settings' })
    const name = await screen.findByRole('textbox', { name: 'Token name' })
    fireEvent.change(name, { target: { value: 'Wall' } })
    fireEvent.change(within(section()).getByLabelText('New token'), { target: { value: 'short' } })
    fireEvent.click(within(section()).getByRole('button', { name: 'Add token' }))
    const alert = await within(section()).findByRole('alert')
    assert.match(
      alert.textContent!,
      /server\.tokens\[1\]\.token: token must be at least 8 characters/,
    )
    assert.equal(within(section()).getByLabelText('New token').getAttribute('aria-invalid'), 'true')

    fireEvent.change(within(section()).getByLabelText('New token'), {
      target: { value: 'another-token-0123456789' },
    })
    fireEvent.click(within(section()).getByRole('button', { name: 'Add token' }))
    await waitFor(() =>
      assert.match(
        within(section()).getByRole('alert').textContent!,
        /server\.tokens\[1\]\.name: duplicate name "Wall" \(also server\.tokens\[0\]\)/,
      ),
    )
    assert.equal(name.getAttribute('aria-invalid'), 'true')
    assert.equal(bridge.settings.server.tokens.length, 1)
    assert.equal(within(section()).queryByText(/This is the first token/), null)
  })

  test('with a named token the lab network needs no main token', async () => {
    const bridge = withWallToken()
    renderApp(bridge, { initialTab: 'Settings' })
    fireEvent.click(await screen.findByRole('radio', { name: /The lab network/ }))
    assert.ok(screen.getByLabelText('Token'), 'not marked required')
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }))
    await screen.findByText('Settings saved')
    assert.equal(bridge.settings.server.host, '0.0.0.0')
    assert.equal(bridge.settings.server.token, null)
  })
})
