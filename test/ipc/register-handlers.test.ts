import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { invokeChannels, type AppPreferences } from '../../common/contract'
import { createBridgeOperations } from '../../main/admin/bridge-operations'
import { registerBridgeHandlers } from '../../main/ipc/register-handlers'
import { createSenderCheck } from '../../main/ipc/sender-check'
import { startEngine } from '../helpers/engine-fixture'
import { FakeIpcMain } from '../shell/electron-stand-in'

const RENDERER = 'app://bridge/index.html'

describe('IPC handler registration', () => {
  let fixture: Awaited<ReturnType<typeof startEngine>>
  const ipcMain = new FakeIpcMain()
  const refusals: string[] = []
  let preferences: AppPreferences = {
    startAtLogin: false,
    startMinimized: false,
    closeToTray: true,
  }
  let unregister: () => void

  before(async () => {
    fixture = await startEngine()
    const operations = createBridgeOperations(fixture.engine, {
      getPreferences: () => preferences,
      setPreferences: (input) => (preferences = { ...preferences, ...input }),
      saveText: async () => null,
    })
    unregister = registerBridgeHandlers({
      ipcMain,
      operations,
      isTrustedSender: createSenderCheck(RENDERER),
      onRefused: (operation, reason) => refusals.push(`${operation}: ${reason}`),
    })
  })

  after(async () => {
    unregister?.()
    await fixture?.stop()
  })

  const call = (channel: string, ...args: unknown[]) => ipcMain.invokeFrom(RENDERER, channel, args)

  it('registers exactly the contract channels, once each, and unregisters them', () => {
    assert.deepEqual([...ipcMain.handlers.keys()].sort(), Object.values(invokeChannels).sort())
    const other = new FakeIpcMain()
    const undo = registerBridgeHandlers({
      ipcMain: other,
      operations: {} as never,
      isTrustedSender: () => true,
    })
    assert.equal(other.handlers.size, Object.keys(invokeChannels).length)
    undo()
    assert.equal(other.handlers.size, 0)
  })

  it('refuses a call from a frame that is not our renderer, before the engine sees it', async () => {
    for (const url of ['https://evil.example/index.html', 'app://other/index.html', null]) {
      await assert.rejects(
        ipcMain.invokeFrom(url, invokeChannels.addPort, [{ path: 'sim:demo' }]),
        /addPort: refused: the call did not come from the Serial Bridge window/,
      )
    }
    assert.deepEqual(fixture.engine.listPorts(), [])
    assert.ok(refusals.some((r) => r.includes('evil.example')))
  })

  it('rejects bad arguments with a message naming the operation and the field', async () => {
    await assert.rejects(
      call(invokeChannels.openPort, 42),
      /openPort: invalid arguments: Invalid input: expected string, received number/,
    )
    await assert.rejects(
      call(invokeChannels.setClientReadOnly, 'c1'),
      /setClientReadOnly: invalid arguments: expects 2 argument\(s\), got 1/,
    )
    await assert.rejects(
      call(invokeChannels.sendToPort, { port: 'p', data: 'x', format: 'binary', terminator: '' }),
      /sendToPort: invalid arguments: format: Invalid option/,
    )
    await assert.rejects(
      call(invokeChannels.setPreferences, { closeToTray: 'yes' }),
      /setPreferences: invalid arguments: closeToTray: Invalid input: expected boolean/,
    )
    await assert.rejects(
      call(invokeChannels.listPorts, 'extra'),
      /listPorts: invalid arguments: expects 0 argument\(s\), got 1/,
    )
  })

  it('answers bad form input of validating operations the way the engine does', async () => {
    const result = await call(invokeChannels.addPort, {
      path: 'sim:demo',
      baudRate: 'fast',
      bogus: 1,
    })
    assert.deepEqual(result, {
      ok: false,
      errors: ['baudRate: Invalid input: expected number, received string', 'bogus: unknown field'],
    })
    const update = await call(invokeChannels.updatePort, 'sim-demo', { path: '' })
    assert.deepEqual(update, { ok: false, errors: ['no port with id "sim-demo"'] })
    const server = await call(invokeChannels.updateServerSettings, { port: 70000 })
    assert.deepEqual(server, {
      ok: false,
      errors: ['server.port: Too big: expected number to be <=65535'],
    })
    await assert.rejects(
      call(invokeChannels.setClientReadOnly, 7, true),
      /setClientReadOnly: invalid arguments: argument 1: Invalid input: expected string/,
    )
    assert.deepEqual(fixture.engine.listPorts(), [])
  })

  it('forwards good arguments as sent, so the engine applies its defaults once', async () => {
    const portBefore = fixture.engine.getSettings().server.port
    const updated = await call(invokeChannels.updateServerSettings, { maxClients: 7 })
    assert.equal((updated as { ok: boolean }).ok, true)
    const server = fixture.engine.getSettings().server
    assert.equal(server.maxClients, 7)
    assert.equal(server.port, portBefore, 'a partial update did not reset other fields')

    const added = await call(invokeChannels.addPort, {
      id: 'sim1',
      path: 'sim:demo',
      autoOpen: false,
    })
    assert.equal((added as { ok: boolean }).ok, true)
    assert.deepEqual(
      fixture.engine.listPorts().map((p) => [p.id, p.path, p.settings.baudRate]),
      [['sim1', 'sim:demo', 9600]],
    )
    const opened = (await call(invokeChannels.openPort, 'sim1')) as { ok: boolean }
    assert.equal(opened.ok, true)
    assert.equal(fixture.engine.listPorts()[0]!.state, 'open')
    assert.deepEqual(await call(invokeChannels.setPreferences, { startAtLogin: true }), {
      startAtLogin: true,
      startMinimized: false,
      closeToTray: true,
    })
    const removed = await call(invokeChannels.removePort, 'sim1')
    assert.deepEqual(removed, { ok: true, value: undefined })
  })
})
