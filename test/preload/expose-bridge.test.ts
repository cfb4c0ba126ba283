import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  eventChannels,
  invokeChannels,
  type BridgeApi,
  type FrameBatch,
  type Notice,
} from '../../common/contract'
import { exposeBridge, subscriptionName } from '../../preload/expose-bridge'
import { FakeContextBridge, FakeIpcMain, FakeIpcRenderer } from '../shell/electron-stand-in'

const RENDERER = 'app://bridge/index.html'

/** The preload against stand-ins, with main handlers that echo what they were called with. */
function exposed() {
  const ipcMain = new FakeIpcMain()
  for (const channel of Object.values(invokeChannels)) {
    ipcMain.handle(channel, (_event, ...args) => ({ channel, args }))
  }
  const ipcRenderer = new FakeIpcRenderer(ipcMain, RENDERER)
  const contextBridge = new FakeContextBridge()
  exposeBridge(contextBridge, ipcRenderer)
  return {
    ipcMain,
    ipcRenderer,
    contextBridge,
    bridge: contextBridge.exposed.get('bridge') as BridgeApi,
  }
}

describe('preload bridge', () => {
  it('exposes window.bridge only: one function per operation and per event, nothing generic', () => {
    const { contextBridge, bridge } = exposed()
    assert.deepEqual([...contextBridge.exposed.keys()], ['bridge'])
    const expected = [
      'kind',
      ...Object.keys(invokeChannels),
      ...Object.keys(eventChannels).map((e) => subscriptionName(e as keyof typeof eventChannels)),
    ].sort()
    assert.deepEqual(Object.keys(bridge).sort(), expected)
    assert.equal(bridge.kind, 'electron')
    for (const key of expected.filter((k) => k !== 'kind')) {
      assert.equal(typeof (bridge as unknown as Record<string, unknown>)[key], 'function', key)
    }
    for (const forbidden of ['ipcRenderer', 'invoke', 'send', 'on', 'sendSync']) {
      assert.equal(forbidden in bridge, false, forbidden)
    }
    assert.ok(Object.isFrozen(bridge))
    assert.deepEqual(
      Object.keys(eventChannels).map((e) => subscriptionName(e as keyof typeof eventChannels)),
      [
        'onPort',
        'onFrames',
        'onClients',
        'onRefused',
        'onDevices',
        'onServer',
        'onSettings',
        'onMqtt',
        'onNotice',
      ],
    )
  })

  it('sends each operation on its own channel with its arguments', async () => {
    const { bridge } = exposed()
    assert.deepEqual(await bridge.openPort('COM3'), { channel: 'ports:open', args: ['COM3'] })
    assert.deepEqual(await bridge.setClientReadOnly('c1', true), {
      channel: 'clients:set-read-only',
      args: ['c1', true],
    })
    assert.deepEqual(await bridge.listPorts(), { channel: 'ports:list', args: [] })
    const request = { port: 'p', data: '0d0a', format: 'hex', terminator: '' } as const
    assert.deepEqual(await bridge.sendToPort(request), { channel: 'ports:send', args: [request] })
  })

  it('delivers event payloads (never the IPC event) until unsubscribed', () => {
    const { bridge, ipcRenderer } = exposed()
    const batches: FrameBatch[] = []
    const notices: unknown[][] = []
    const stopFrames = bridge.onFrames((batch) => batches.push(batch))
    const stopNotices = bridge.onNotice((...args: unknown[]) => notices.push(args))
    const second: FrameBatch[] = []
    const stopSecond = bridge.onFrames((batch) => second.push(batch))
    assert.equal(ipcRenderer.listenerCount(eventChannels.frames), 2)

    const batch: FrameBatch = {
      frames: [{ port: 'p', direction: 'rx', ts: 1, data: new Uint8Array([104, 105]) }],
      dropped: 0,
    }
    ipcRenderer.deliver(eventChannels.frames, batch)
    const notice: Notice = { level: 'warning', message: 'settings file kept aside' }
    ipcRenderer.deliver(eventChannels.notice, notice)
    assert.deepEqual(batches, [batch])
    assert.deepEqual(notices, [[notice]], 'the listener gets the payload alone')

    stopFrames()
    assert.equal(ipcRenderer.listenerCount(eventChannels.frames), 1)
    ipcRenderer.deliver(eventChannels.frames, batch)
    assert.equal(batches.length, 1, 'no delivery after unsubscribe')
    assert.equal(second.length, 2, 'other subscribers keep theirs')
    stopFrames()
    assert.equal(
      ipcRenderer.listenerCount(eventChannels.frames),
      1,
      'unsubscribe twice is harmless',
    )
    stopSecond()
    stopNotices()
    assert.equal(ipcRenderer.listenerCount(eventChannels.frames), 0)
    assert.equal(ipcRenderer.listenerCount(eventChannels.notice), 0)
  })

  it('turns an error thrown in main into the plain message', async () => {
    const ipcMain = new FakeIpcMain()
    ipcMain.handle(invokeChannels.openPort, () => {
      throw new Error('openPort: invalid arguments: Invalid input: expected string')
    })
    const contextBridge = new FakeContextBridge()
    exposeBridge(contextBridge, new FakeIpcRenderer(ipcMain, RENDERER))
    const bridge = contextBridge.exposed.get('bridge') as BridgeApi
    await assert.rejects(bridge.openPort('x'), {
      message: 'openPort: invalid arguments: Invalid input: expected string',
    })
  })
})
