import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { defaultPortId } from '../../../common/port-id'
import { defaultSettings, settingsSchema } from '../../../common/settings-schema'
import { validatePortSettings, validateSettings } from '../../../common/validation'
import { addressRollback } from '../../../main/core/settings/address-rollback'
import {
  keepAside,
  readSettingsFile,
  writeSettingsFile,
} from '../../../main/core/settings/settings-file'

describe('settings schema', () => {
  test('every field but ports[].path has a default', () => {
    const s = settingsSchema.parse({ ports: [{ path: 'COM3' }] })
    assert.deepEqual(s.server, defaultSettings().server)
    assert.equal(s.server.host, '127.0.0.1')
    assert.equal(s.server.port, 8765)
    assert.equal(s.server.maxClients, 64)
    assert.equal(s.server.heartbeatSeconds, 15)
    assert.equal(s.server.maxPayloadBytes, 1024 * 1024)
    assert.equal(s.server.clientBufferBytes, 1024 * 1024)
    assert.equal(s.server.maxQueuedQueriesPerPort, 64)
    assert.equal(s.server.maxQueuedQueriesPerClient, 16)
    assert.equal(s.server.maxQueuedWriteBytesPerPort, 1024 * 1024)
    assert.equal(s.server.writeTimeoutMs, 10_000)
    assert.equal(s.server.maxPendingConnections, 128)
    assert.equal(s.server.maxPendingConnectionsPerAddress, 32)
    assert.deepEqual(s.ports[0], {
      id: 'COM3',
      path: 'COM3',
      baudRate: 9600,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      flowControl: 'none',
      dtr: true,
      rts: true,
      framing: { mode: 'line', delimiter: '\n', idleMs: 50, length: 16, maxFrameBytes: 65536 },
      writeTerminator: '\n',
      encoding: 'utf8',
      autoOpen: true,
      reconnect: true,
      parse: { mode: 'none' },
      polls: [],
      commands: [],
      record: { enabled: false, tx: true },
    })
    assert.deepEqual(s.recording, { dir: null, rotateMiB: 100, rotateDaily: true, keepDays: null })
  })

  test('a settings file written before line framing keeps its delimiter framing', () => {
    const s = settingsSchema.parse({
      ports: [
        { path: 'COM3', framing: { mode: 'delimiter', delimiter: '\n', idleMs: 50, length: 16 } },
      ],
    })
    assert.deepEqual(s.ports[0]!.framing, {
      mode: 'delimiter',
      delimiter: '\n',
      idleMs: 50,
      length: 16,
      maxFrameBytes: 65536,
    })
  })

  test('ids default from the path and stay URL-safe', () => {
    assert.equal(defaultPortId('COM3'), 'COM3')
    assert.equal(defaultPortId('/dev/ttyUSB0'), 'ttyUSB0')
    assert.equal(defaultPortId('sim:demo'), 'sim-demo')
    assert.equal(defaultPortId('\\\\.\\COM12'), 'COM12')
    const bad = validatePortSettings({ path: 'COM1', id: 'has space' })
    assert.equal(bad.ok, false)
    assert.match(!bad.ok ? bad.errors[0]! : '', /^id: /)
  })

  test('wrong settings name the field', () => {
    const r = validateSettings({
      server: { maxClients: 0 },
      ports: [{ path: 'COM1', dataBits: 9, stopBits: 3, framing: { mode: 'regex' } }],
    })
    assert.equal(r.ok, false)
    const text = !r.ok ? r.errors.join('\n') : ''
    for (const field of [
      'server.maxClients',
      'ports[0].dataBits',
      'ports[0].stopBits',
      'ports[0].framing.mode',
    ]) {
      assert.match(text, new RegExp(field.replace(/[[\].]/g, '\\$&')))
    }
  })

  test('a LAN address needs a token', () => {
    assert.equal(
      validateSettings({ server: { host: '0.0.0.0', token: 'long-enough-token' } }).ok,
      true,
    )
    const r = validateSettings({ server: { host: '0.0.0.0' } })
    assert.deepEqual(!r.ok && r.errors, [
      'server.token: a token is required when server.host is "0.0.0.0" (not loopback): ' +
        'set server.token or add one to server.tokens',
    ])
  })
})

describe('settings file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-settings-'))
  const file = (name: string, text: string): string => {
    const p = join(dir, name)
    writeFileSync(p, text)
    return p
  }

  test('truncated, empty, non-JSON and wrong-schema files are reported with the reason', async () => {
    const full = JSON.stringify({ ports: [{ path: 'COM3' }] })
    const cases: Array<[string, RegExp]> = [
      [file('truncated.json', full.slice(0, full.length - 5)), /not valid JSON/],
      [file('empty.json', ''), /the file is empty/],
      [file('text.json', 'baud=9600'), /not valid JSON/],
      [file('schema.json', '{"ports":[{"path":3}]}'), /ports\[0\]\.path/],
      [join(dir, 'missing.json'), /file not found/],
    ]
    for (const [path, reason] of cases) {
      const r = await readSettingsFile(path)
      assert.equal(r.ok, false)
      assert.match(!r.ok ? r.errors.join() : '', reason)
    }
  })

  test('a file saved with a byte order mark (Windows Notepad) is read like any other', async () => {
    const r = await readSettingsFile(file('bom.json', '\uFEFF{"ports":[{"path":"COM3"}]}'))
    assert.ok(r.ok, r.ok ? '' : r.errors.join('; '))
    assert.equal(r.value.ports[0]?.path, 'COM3')
  })

  test('written atomically and read back the same; a bad file can be kept aside', async () => {
    const path = join(dir, 'roundtrip.json')
    const settings = settingsSchema.parse({ ports: [{ id: 'a', path: 'COM4', baudRate: 115200 }] })
    await writeSettingsFile(path, settings)
    assert.deepEqual(await readSettingsFile(path), { ok: true, value: settings })
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('roundtrip')),
      ['roundtrip.json'],
      'no temporary file left behind',
    )
    const bad = file('corrupt.json', '{')
    assert.equal(await keepAside(bad), `${bad}.bad`)
    assert.equal(readFileSync(`${bad}.bad`, 'utf8'), '{')
  })
})

describe('going back to the address that worked', () => {
  const settings = (server: object) => {
    const checked = validateSettings({ server, ports: [{ id: 'a', path: 'sim:demo' }] })
    assert.ok(checked.ok, checked.ok ? '' : checked.errors.join('; '))
    return checked.value
  }

  test('keeps the old host and port and every other new value', () => {
    const before = settings({ port: 8765 }).server
    const after = settings({ port: 80, maxClients: 11, heartbeatSeconds: 30 })
    const back = addressRollback(before, after)
    assert.deepEqual(back.server, { ...after.server, host: before.host, port: 8765 })
    assert.deepEqual(back.ports, after.ports)
  })

  test('puts the whole server section back when the mix would break a rule', () => {
    // On the lab network with a token, asked for this computer only without one: the lab
    // network must not come back without its token.
    const before = settings({ host: '0.0.0.0', port: 8765, token: 'lab-token-0123456789' }).server
    const after = settings({ host: '127.0.0.1', port: 80, token: null })
    assert.deepEqual(addressRollback(before, after).server, before)
  })
})
