import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { AppPreferences } from '../../common/contract'
import { createBridgeOperations, type BridgeHost } from '../../main/admin/bridge-operations'
import { parseSettingsText } from '../../main/core/settings/settings-file'
import { settingsSchema } from '../../common/settings-schema'
import { startEngine } from '../helpers/engine-fixture'
import { Instrument } from '../helpers/instrument'
import { SocatPair } from '../helpers/socat-pair'
import { waitFor } from '../helpers/wait'

/** A host that keeps preferences in memory and records saves (the host part is per-app). */
function memoryHost() {
  let preferences: AppPreferences = {
    startAtLogin: false,
    startMinimized: false,
    closeToTray: true,
  }
  const saved: Array<{ name: string; text: string }> = []
  const host: BridgeHost = {
    getPreferences: () => preferences,
    setPreferences: (input) => (preferences = { ...preferences, ...input }),
    saveText: async (name, text) => {
      saved.push({ name, text })
      return `/saved/${name}`
    },
  }
  return { host, saved }
}

describe('bridge operations over a real engine and a pty', () => {
  const pty = new SocatPair('ops')
  let fixture: Awaited<ReturnType<typeof startEngine>>
  let instrument: Instrument
  let memory: ReturnType<typeof memoryHost>
  let ops: ReturnType<typeof createBridgeOperations>

  before(async () => {
    await pty.plug()
    fixture = await startEngine({
      ports: [{ id: 'dev', path: pty.a, baudRate: 115200, autoOpen: false }],
    })
    const opened = await fixture.engine.openPort('dev')
    assert.ok(opened.ok, opened.ok ? '' : opened.errors.join('; '))
    instrument = await Instrument.open(pty.b)
    memory = memoryHost()
    ops = createBridgeOperations(fixture.engine, memory.host)
  })

  after(async () => {
    await instrument?.close()
    await fixture?.stop()
    await pty.dispose()
  })

  /** Waits until the instrument has `count` bytes in total and returns them. */
  const received = (count: number) =>
    waitFor(() => instrument.bytes().length >= count && instrument.bytes(), {
      what: `${count} bytes at the instrument`,
    })

  it('sends text with the terminator appended once', async () => {
    const first = await ops.sendToPort({
      port: 'dev',
      data: 'MEAS?',
      format: 'text',
      terminator: '\r\n',
    })
    assert.deepEqual(first, { ok: true, value: { bytes: 7 } })
    const second = await ops.sendToPort({
      port: 'dev',
      data: 'RUN\r\n',
      format: 'text',
      terminator: '\r\n',
    })
    assert.deepEqual(second, { ok: true, value: { bytes: 5 } }, 'already terminated: not doubled')
    assert.equal((await received(12)).toString('latin1'), 'MEAS?\r\nRUN\r\n')
  })

  it('sends hex as the bytes it spells, whitespace allowed, terminator ignored', async () => {
    const before = instrument.bytes().length
    const sent = await ops.sendToPort({
      port: 'dev',
      data: '01 02\tff\n0A',
      format: 'hex',
      terminator: '\n',
    })
    assert.deepEqual(sent, { ok: true, value: { bytes: 4 } })
    assert.deepEqual([...(await received(before + 4)).subarray(before)], [0x01, 0x02, 0xff, 0x0a])
  })

  it('refuses bad hex, naming the problem, and writes nothing', async () => {
    const before = instrument.bytes().length
    const send = (data: string) =>
      ops.sendToPort({ port: 'dev', data, format: 'hex', terminator: '' })
    const notHex = await send('0d zz')
    assert.equal(notHex.ok, false)
    assert.match(!notHex.ok ? notHex.errors.join('; ') : '', /"z" is not a hex digit/)
    const odd = await send('0d0')
    assert.match(!odd.ok ? odd.errors.join('; ') : '', /pairs of digits: 3 digits/)
    const empty = await send('  ')
    assert.match(!empty.ok ? empty.errors.join('; ') : '', /hex field is empty/)
    // A marker write proves the failed sends put nothing on the line before it.
    await ops.sendToPort({ port: 'dev', data: 'MARK', format: 'text', terminator: '\n' })
    assert.equal((await received(before + 5)).subarray(before).toString(), 'MARK\n')
  })

  it('answers an unknown port with an error, not an exception', async () => {
    const result = await ops.sendToPort({ port: 'nope', data: 'x', format: 'text', terminator: '' })
    assert.deepEqual(result, { ok: false, errors: ['no port with id "nope"'] })
  })

  it('generates distinct URL-safe tokens the settings accept', async () => {
    const a = await ops.generateToken()
    const b = await ops.generateToken()
    assert.match(a, /^[A-Za-z0-9_-]{43}$/)
    assert.notEqual(a, b)
    assert.ok(settingsSchema.safeParse({ server: { token: a } }).success)
  })

  it('allows a refused origin once, keeping the rest of the server settings', async () => {
    const before = fixture.engine.getSettings().server
    const first = await ops.allowOrigin('http://localhost:3000')
    assert.ok(first.ok)
    const again = await ops.allowOrigin('http://localhost:3000')
    assert.ok(again.ok)
    const after = fixture.engine.getSettings().server
    assert.deepEqual(after.allowedOrigins, ['http://localhost:3000'])
    assert.deepEqual({ ...after, allowedOrigins: [] }, { ...before, allowedOrigins: [] })
  })

  it('exports the settings as the headless config file text', async () => {
    const text = await ops.exportSettings({ includePassword: true })
    assert.ok(text.endsWith('}\n'))
    const parsed = parseSettingsText(text, 'export')
    assert.ok(parsed.ok)
    assert.deepEqual(parsed.value, fixture.engine.getSettings())
    assert.deepEqual(await ops.getSettings(), fixture.engine.getSettings())
  })

  it('leaves the broker password out of an export unless asked, like a secret should be', async () => {
    const saved = await ops.updateMqttSettings({ username: 'lab', password: 'broker-secret' })
    assert.ok(saved.ok)
    const masked = await ops.exportSettings({ includePassword: false })
    assert.doesNotMatch(masked, /broker-secret/)
    const parsed = parseSettingsText(masked, 'export')
    assert.ok(parsed.ok)
    assert.equal(parsed.value.mqtt.password, null)
    assert.equal(parsed.value.mqtt.username, 'lab')
    const full = parseSettingsText(await ops.exportSettings({ includePassword: true }), 'export')
    assert.ok(full.ok)
    assert.equal(full.value.mqtt.password, 'broker-secret')
    assert.ok((await ops.updateMqttSettings({ username: null, password: null })).ok)
  })

  it('passes engine state through: status, ports, clients, refused', async () => {
    assert.equal((await ops.getServerStatus()).state, 'listening')
    assert.deepEqual(
      (await ops.listPorts()).map((p) => [p.id, p.state]),
      [['dev', 'open']],
    )
    assert.deepEqual(await ops.listClients(), [])
    assert.deepEqual(await ops.listRefused(), [])
    const kicked = await ops.disconnectClient('ghost')
    assert.equal(kicked.ok, false)
  })

  it('hands preferences and saving to the host', async () => {
    assert.equal((await ops.getPreferences()).closeToTray, true)
    const updated = await ops.setPreferences({ closeToTray: false })
    assert.equal(updated.closeToTray, false)
    assert.equal((await ops.getPreferences()).closeToTray, false)
    assert.equal(await ops.saveText('stream.txt', 'hello'), '/saved/stream.txt')
    assert.deepEqual(memory.saved, [{ name: 'stream.txt', text: 'hello' }])
  })
})
