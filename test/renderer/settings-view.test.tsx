import './dom-setup'
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { createBridgeStandIn, TAKEN_PORT } from './bridge-stand-in'
import { cleanup, renderApp } from './render-app'

afterEach(cleanup)

const saveButton = () => screen.getByRole('button', { name: 'Save settings' })

describe('Settings view', () => {
  test('the lab network requires a token, says so, and saves with one', async () => {
    const bridge = createBridgeStandIn()
    renderApp(bridge, { initialTab: 'Settings' })
    fireEvent.click(await screen.findByRole('radio', { name: /The lab network/ }))
    const tokenBox = screen.getByLabelText('Token (required)')
    const described = tokenBox
      .getAttribute('aria-describedby')!
      .split(' ')
      .map((id) => document.getElementById(id)!.textContent)
      .join(' ')
    assert.match(described, /so it requires a token/)

    fireEvent.click(saveButton())
    const alert = await screen.findByRole('alert')
    assert.match(alert.textContent!, /server\.token: the lab network requires a token/)
    assert.equal(bridge.calls.filter((c) => c.op === 'updateServerSettings').length, 0)
    assert.equal(screen.getByLabelText('Token (required)').getAttribute('aria-invalid'), 'true')

    fireEvent.click(screen.getByRole('button', { name: 'Generate' }))
    await screen.findByText('New token generated: press Save settings to use it')
    const token = screen.getByLabelText('Token (required)') as HTMLInputElement
    assert.equal(token.value, 'generated-token-0123456789abcdef')
    assert.equal(token.type, 'text', 'a generated token is shown so it can be read')
    fireEvent.click(screen.getByRole('button', { name: 'Hide token' }))
    assert.equal(token.type, 'password')

    fireEvent.click(saveButton())
    await screen.findByText('Settings saved')
    assert.equal(bridge.settings.server.host, '0.0.0.0')
    assert.equal(bridge.settings.server.token, 'generated-token-0123456789abcdef')
  })

  test("the engine's validation errors are shown next to the form", async () => {
    const bridge = createBridgeStandIn()
    renderApp(bridge, { initialTab: 'Settings' })
    fireEvent.change(await screen.findByRole('textbox', { name: 'Port number' }), {
      target: { value: '70000' },
    })
    fireEvent.change(screen.getByRole('textbox', { name: 'Max clients' }), {
      target: { value: '0' },
    })
    fireEvent.click(saveButton())
    const alert = await screen.findByRole('alert')
    assert.match(alert.textContent!, /server\.port: /)
    assert.match(alert.textContent!, /server\.maxClients: /)
    assert.equal(bridge.settings.server.port, 8765)
  })

  test('a change that restarts the server says so before it is saved', async () => {
    const bridge = createBridgeStandIn('web')
    renderApp(bridge, { initialTab: 'Settings' })
    fireEvent.change(await screen.findByRole('textbox', { name: 'Max clients' }), {
      target: { value: '10' },
    })
    assert.equal(screen.queryByText(/Saving restarts the server/), null, 'limits need no restart')

    fireEvent.change(screen.getByRole('textbox', { name: 'Port number' }), {
      target: { value: '9000' },
    })
    const note = screen.getByText(/Saving restarts the server/)
    assert.match(note.textContent!, /connect again at the new address/)
    assert.match(note.textContent!, /This page is served by Serial Bridge too/)
    assert.match(note.textContent!, /the old one is kept/)
    assert.equal(
      saveButton().getAttribute('aria-describedby'),
      note.id,
      'the warning is read with the Save button',
    )

    fireEvent.change(screen.getByRole('textbox', { name: 'Port number' }), {
      target: { value: '8765' },
    })
    assert.equal(screen.queryByText(/Saving restarts the server/), null, 'back to the same port')
  })

  test('allowed origins, limits and heartbeat are saved', async () => {
    const bridge = createBridgeStandIn()
    renderApp(bridge, { initialTab: 'Settings' })
    fireEvent.change(
      await screen.findByRole('textbox', { name: 'Allowed web page origins (one per line)' }),
      { target: { value: 'http://localhost:3000\n\n https://lab.example \n' } },
    )
    fireEvent.change(screen.getByRole('textbox', { name: 'Heartbeat (seconds)' }), {
      target: { value: '30' },
    })
    fireEvent.change(screen.getByRole('textbox', { name: 'Client buffer (KiB)' }), {
      target: { value: '2048' },
    })
    fireEvent.click(saveButton())
    await screen.findByText('Settings saved')
    assert.deepEqual(bridge.settings.server.allowedOrigins, [
      'http://localhost:3000',
      'https://lab.example',
    ])
    assert.equal(bridge.settings.server.heartbeatSeconds, 30)
    assert.equal(bridge.settings.server.clientBufferBytes, 2 * 1024 * 1024)
  })

  test('export saves the JSON; import reads a file and reports the result', async () => {
    const bridge = createBridgeStandIn()
    renderApp(bridge, { initialTab: 'Settings' })
    fireEvent.click(await screen.findByRole('button', { name: 'Export settings' }))
    await screen.findByText('Settings saved to /home/lab/serial-bridge-settings.json')
    assert.equal(JSON.parse(bridge.saved[0]!.text).server.port, 8765)

    const input = screen.getByLabelText('Import settings file') as HTMLInputElement
    const file = new File(
      [JSON.stringify({ server: { port: 9000 }, ports: [{ path: 'sim:demo' }] })],
      'lab.json',
      { type: 'application/json' },
    )
    fireEvent.change(input, { target: { files: [file] } })
    await screen.findByText('Imported lab.json: 1 port')
    assert.equal(bridge.settings.server.port, 9000)

    const taken = new File([JSON.stringify({ server: { port: TAKEN_PORT } })], 'taken.json')
    fireEvent.change(input, { target: { files: [taken] } })
    await screen.findByText(
      'Imported taken.json: 0 ports. Its server address could not be used, so 127.0.0.1:9000 was kept: see the status bar.',
    )
    assert.equal(bridge.settings.server.port, 9000)
    assert.ok(screen.getByText(/the new server\.port could not be used/), 'in the status bar')

    const bad = new File([JSON.stringify({ server: { port: 'x' } })], 'bad.json')
    fireEvent.change(input, { target: { files: [bad] } })
    await screen.findByText('bad.json was not imported: see the errors')
    assert.ok(screen.getByText(/server\.port: /))
  })

  test('desktop preferences apply at once; in a browser they are explained instead', async () => {
    const bridge = createBridgeStandIn()
    renderApp(bridge, { initialTab: 'Settings' })
    const box = await screen.findByRole('checkbox', { name: 'Start when I log in' })
    await waitFor(() => assert.equal((box as HTMLInputElement).disabled, false))
    fireEvent.click(box)
    await screen.findByText('Saved: start when i log in is on')
    assert.equal(bridge.preferences.startAtLogin, true)
    cleanup()

    renderApp(createBridgeStandIn('web'), { initialTab: 'Settings' })
    const section = (await screen.findByRole('heading', { name: 'Desktop app' })).closest(
      'section',
    )!
    assert.ok(within(section).getByText(/do not apply/))
    assert.equal(within(section).queryByRole('checkbox'), null)
  })
})
