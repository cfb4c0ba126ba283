import './dom-setup'
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import type { MqttStatus } from '../../common/engine-api'
import { validatePortSettings } from '../../common/validation'
import { createBridgeStandIn, portInfo } from './bridge-stand-in'
import { cleanup, renderApp } from './render-app'

afterEach(cleanup)

const FINGERPRINT = Array.from({ length: 32 }, (_, i) =>
  (i * 7).toString(16).padStart(2, '0').toUpperCase(),
).join(':')

function bridgeWithPort() {
  const bridge = createBridgeStandIn()
  const port = validatePortSettings({ id: 'meter', path: 'COM3' })
  if (!port.ok) throw new Error(port.errors.join())
  bridge.ports.push(portInfo(port.value, 'open'))
  return bridge
}

const connected: MqttStatus = {
  state: 'connected',
  url: 'mqtt://broker.lab:1883',
  clientId: 'serial-bridge-lab-pc',
  topicPrefix: 'serial-bridge/lab-pc',
  commands: false,
  published: 1234,
  dropped: 5,
  queued: 0,
  commandsHandled: 0,
  commandsForbidden: 0,
}

describe('Settings → Lab network (MQTT)', () => {
  test('saves the broker settings; the password is hidden until asked for', async () => {
    const bridge = bridgeWithPort()
    renderApp(bridge, { initialTab: 'Settings' })
    const form = await screen.findByRole('form', { name: 'Lab network (MQTT)' })
    const inForm = within(form)
    fireEvent.click(inForm.getByRole('checkbox', { name: 'Publish to the broker' }))
    fireEvent.change(inForm.getByRole('textbox', { name: 'Broker URL' }), {
      target: { value: 'mqtts://broker.lab:8883' },
    })
    fireEvent.change(inForm.getByRole('textbox', { name: 'User name' }), {
      target: { value: 'lab' },
    })
    const password = inForm.getByLabelText('Password') as HTMLInputElement
    assert.equal(password.type, 'password')
    fireEvent.change(password, { target: { value: 's3cret pass' } })
    fireEvent.click(inForm.getByRole('button', { name: 'Show password' }))
    assert.equal(password.type, 'text')
    fireEvent.click(inForm.getByRole('button', { name: 'Save MQTT settings' }))
    await inForm.findByText('Saved: the uplink connects with these settings')
    assert.deepEqual(
      {
        enabled: bridge.settings.mqtt.enabled,
        url: bridge.settings.mqtt.url,
        username: bridge.settings.mqtt.username,
        password: bridge.settings.mqtt.password,
        topicPrefix: bridge.settings.mqtt.topicPrefix,
      },
      {
        enabled: true,
        url: 'mqtts://broker.lab:8883',
        username: 'lab',
        password: 's3cret pass',
        topicPrefix: null,
      },
    )
  })

  test('a wrong value is named; Test says in words what happened', async () => {
    const bridge = bridgeWithPort()
    bridge.mqttTest = {
      ok: false,
      message: 'wrong user name or password (Connection refused: Not authorized)',
    }
    renderApp(bridge, { initialTab: 'Settings' })
    const form = within(await screen.findByRole('form', { name: 'Lab network (MQTT)' }))
    fireEvent.change(form.getByRole('textbox', { name: 'Broker URL' }), {
      target: { value: 'http://x' },
    })
    fireEvent.click(form.getByRole('button', { name: 'Save MQTT settings' }))
    assert.match((await form.findByRole('alert')).textContent!, /mqtt\.url: url is mqtt:\/\//)
    assert.equal(
      form.getByRole('textbox', { name: 'Broker URL' }).getAttribute('aria-invalid'),
      'true',
    )

    fireEvent.change(form.getByRole('textbox', { name: 'Broker URL' }), {
      target: { value: 'mqtt://broker.lab' },
    })
    fireEvent.click(form.getByRole('button', { name: 'Test connection' }))
    await form.findByText('wrong user name or password (Connection refused: Not authorized)')
    const call = bridge.calls.find((c) => c.op === 'testMqtt')!
    assert.equal(
      (call.args[0] as { url: string }).url,
      'mqtt://broker.lab',
      'the form as typed is tested',
    )
  })

  test('the state line and each port’s topics, with copy buttons; state follows the engine', async () => {
    const bridge = bridgeWithPort()
    bridge.settings = { ...bridge.settings, mqtt: { ...bridge.settings.mqtt, enabled: true } }
    bridge.mqtt = connected
    renderApp(bridge, { initialTab: 'Settings' })
    const form = within(await screen.findByRole('form', { name: 'Lab network (MQTT)' }))
    const state = await form.findByText(
      /MQTT: connected to mqtt:\/\/broker\.lab:1883 as serial-bridge-lab-pc/,
    )
    assert.match(
      state.closest('p')!.textContent!,
      /1,234 messages published · 5 dropped · 0 waiting · 0 commands/,
    )
    for (const kind of ['rx', 'values', 'status']) {
      form.getByText(`serial-bridge/lab-pc/ports/meter/${kind}`)
      form.getByRole('button', { name: `Copy meter ${kind} topic` })
    }
    assert.equal(
      form.queryByText('serial-bridge/lab-pc/ports/meter/write'),
      null,
      'commands are off',
    )

    bridge.emit('mqtt', {
      ...connected,
      state: 'error',
      error: 'broker not reachable (connect ECONNREFUSED)',
    })
    await form.findByText(
      /MQTT: broker not reachable \(connect ECONNREFUSED\) \(mqtt:\/\/broker\.lab:1883\)/,
    )
    // The status bar says it too.
    screen.getByText(/^MQTT: broker not reachable/, { selector: '.status-bar *' })
  })

  test('an export leaves the MQTT password out unless the box is ticked', async () => {
    const bridge = bridgeWithPort()
    bridge.settings = {
      ...bridge.settings,
      mqtt: { ...bridge.settings.mqtt, username: 'lab', password: 'pw-123' },
    }
    renderApp(bridge, { initialTab: 'Settings' })
    fireEvent.click(await screen.findByRole('button', { name: 'Export settings' }))
    await screen.findByText('Settings saved to /home/lab/serial-bridge-settings.json')
    assert.doesNotMatch(bridge.saved.at(-1)!.text, /pw-123/)
    fireEvent.click(screen.getByRole('checkbox', { name: 'Include the MQTT password' }))
    fireEvent.click(screen.getByRole('button', { name: 'Export settings' }))
    await waitFor(() => assert.equal(bridge.saved.length, 2))
    assert.match(bridge.saved.at(-1)!.text, /"password": "pw-123"/)
  })
})

describe('Settings → TLS on the lab network', () => {
  test('the lab network suggests a token and TLS together, and warns while TLS is off', async () => {
    const bridge = createBridgeStandIn()
    renderApp(bridge, { initialTab: 'Settings' })
    fireEvent.click(await screen.findByRole('radio', { name: /The lab network/ }))
    screen.getByText(/Without TLS the token travels in clear text/)
    fireEvent.click(screen.getByRole('button', { name: 'Use a token and TLS' }))
    await screen.findByText('A token and automatic TLS: press Save settings to use them')
    assert.equal(
      (screen.getByRole('radio', { name: /Automatic: a self-signed/ }) as HTMLInputElement).checked,
      true,
    )
    assert.equal(screen.queryByText(/Without TLS the token travels in clear text/), null)
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }))
    await screen.findByText('Settings saved')
    assert.equal(bridge.settings.server.tls, 'auto')
    assert.equal(bridge.settings.server.host, '0.0.0.0')
    assert.equal(bridge.settings.server.token, 'generated-token-0123456789abcdef')
  })

  test('certificate files are named in the settings; the fingerprint is shown to copy', async () => {
    const bridge = createBridgeStandIn()
    bridge.server = { state: 'listening', url: 'wss://127.0.0.1:8765', fingerprint: FINGERPRINT }
    renderApp(bridge, { initialTab: 'Settings' })
    assert.equal((await screen.findByLabelText('Certificate fingerprint')).textContent, FINGERPRINT)
    screen.getByRole('button', { name: 'Copy certificate fingerprint' })
    fireEvent.click(screen.getByRole('radio', { name: 'Certificate files (PEM)' }))
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }))
    assert.match(
      (await screen.findByRole('alert')).textContent!,
      /server\.tls\.cert: name the certificate file/,
    )
    fireEvent.change(screen.getByRole('textbox', { name: 'Certificate file' }), {
      target: { value: 'C:\\certs\\lab.pem' },
    })
    fireEvent.change(screen.getByRole('textbox', { name: 'Key file' }), {
      target: { value: 'C:\\certs\\lab-key.pem' },
    })
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }))
    await screen.findByText('Settings saved')
    assert.deepEqual(bridge.settings.server.tls, {
      cert: 'C:\\certs\\lab.pem',
      key: 'C:\\certs\\lab-key.pem',
    })
  })
})

describe('Connect → MQTT and pinned TLS', () => {
  test('with TLS the Python and Node.js snippets pin the fingerprint; with the uplink on, MQTT snippets appear', async () => {
    const bridge = bridgeWithPort()
    bridge.server = { state: 'listening', url: 'wss://127.0.0.1:8765', fingerprint: FINGERPRINT }
    bridge.settings = {
      ...bridge.settings,
      mqtt: { ...bridge.settings.mqtt, enabled: true, url: 'mqtt://broker.lab:1883' },
    }
    bridge.mqtt = connected
    renderApp(bridge, { initialTab: 'Connect' })
    for (const name of ['Python (websockets) code', 'Node.js (ws) code']) {
      const code = (await screen.findByLabelText(name)).textContent!
      assert.ok(code.includes(FINGERPRINT), `${name} pins`)
      assert.ok(code.includes('wss://127.0.0.1:8765/ports/meter'))
    }
    const python = screen.getByLabelText('Python (paho-mqtt) code').textContent!
    assert.ok(python.includes('"serial-bridge/lab-pc/ports/meter/rx"'))
    assert.ok(python.includes('client.connect("broker.lab", 1883)'))
    const flow = JSON.parse(
      screen.getByLabelText('Node-RED (mqtt in) code').textContent!,
    ) as Array<{
      type: string
      topic?: string
      broker?: string
    }>
    assert.deepEqual(
      flow.filter((n) => n.type === 'mqtt in').map((n) => n.topic),
      ['serial-bridge/lab-pc/ports/meter/rx', 'serial-bridge/lab-pc/ports/meter/values'],
    )
    assert.equal(flow.find((n) => n.type === 'mqtt-broker')?.broker, 'broker.lab')
  })

  test('without the uplink there are no MQTT snippets; without TLS no pin', async () => {
    renderApp(bridgeWithPort(), { initialTab: 'Connect' })
    const code = (await screen.findByLabelText('Python (websockets) code')).textContent!
    assert.doesNotMatch(code, /FINGERPRINT/)
    assert.equal(screen.queryByLabelText('Python (paho-mqtt) code'), null)
  })
})
