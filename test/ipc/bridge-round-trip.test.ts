import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { BridgeApi, BridgeEventPayloads, FrameBatch, StreamFrame } from '../../common/contract'
import { forwardBridgeEvents } from '../../main/admin/bridge-events'
import { createBridgeOperations } from '../../main/admin/bridge-operations'
import { registerBridgeHandlers } from '../../main/ipc/register-handlers'
import { createSenderCheck } from '../../main/ipc/sender-check'
import { createWindowEmitter } from '../../main/ipc/window-events'
import { exposeBridge } from '../../preload/expose-bridge'
import { startEngine } from '../helpers/engine-fixture'
import { Instrument } from '../helpers/instrument'
import { SocatPair } from '../helpers/socat-pair'
import { nextEvent } from '../helpers/wait'
import {
  FakeContextBridge,
  FakeIpcMain,
  FakeIpcRenderer,
  FakeWebContents,
} from '../shell/electron-stand-in'

const RENDERER = 'app://bridge/index.html'

/**
 * The shell's whole data path with only Electron stood in: preload → IPC → handlers →
 * operations → a real engine → a real pty, and engine events → batches → the window.
 */
describe('bridge round trip: preload, IPC, engine, pty', () => {
  const pty = new SocatPair('round')
  let fixture: Awaited<ReturnType<typeof startEngine>>
  let instrument: Instrument
  let bridge: BridgeApi
  const cleanup: Array<() => void> = []

  before(async () => {
    await pty.plug()
    fixture = await startEngine()
    const ipcMain = new FakeIpcMain()
    const ipcRenderer = new FakeIpcRenderer(ipcMain, RENDERER)
    const contents = new FakeWebContents(ipcRenderer)
    const operations = createBridgeOperations(fixture.engine, {
      getPreferences: () => ({ startAtLogin: false, startMinimized: false, closeToTray: true }),
      setPreferences: () => ({ startAtLogin: false, startMinimized: false, closeToTray: true }),
      saveText: async () => null,
    })
    cleanup.push(
      registerBridgeHandlers({ ipcMain, operations, isTrustedSender: createSenderCheck(RENDERER) }),
      forwardBridgeEvents(
        fixture.engine,
        createWindowEmitter(() => contents),
      ),
    )
    const contextBridge = new FakeContextBridge()
    exposeBridge(contextBridge, ipcRenderer)
    bridge = contextBridge.exposed.get('bridge') as BridgeApi
  })

  after(async () => {
    for (const undo of cleanup) undo()
    await instrument?.close()
    await fixture?.stop()
    await pty.dispose()
  })

  const next = <K extends keyof BridgeEventPayloads>(
    subscribe: (listener: (payload: BridgeEventPayloads[K]) => void) => () => void,
    predicate: (payload: BridgeEventPayloads[K]) => boolean,
    what: string,
  ) => nextEvent(subscribe, predicate, { what, timeoutMs: 5000 })

  /** Frames arrive in batches; collects them until one matches. */
  const nextFrame = (match: (frame: StreamFrame) => boolean, what: string) => {
    let found: StreamFrame | undefined
    return next<'frames'>(
      (l) => bridge.onFrames(l),
      (batch: FrameBatch) => (found = batch.frames.find(match)) !== undefined,
      what,
    ).then(() => found!)
  }

  it('adds and opens a port, with port events reaching the window', async () => {
    const opened = next<'port'>(
      (l) => bridge.onPort(l),
      (e) => e.port.id === 'dev' && e.port.state === 'open',
      'port dev open',
    )
    const added = await bridge.addPort({
      id: 'dev',
      path: pty.a,
      baudRate: 115200,
      autoOpen: false,
    })
    assert.ok(added.ok, JSON.stringify(added))
    const result = await bridge.openPort('dev')
    assert.ok(result.ok, JSON.stringify(result))
    assert.equal((await opened).port.path, pty.a)
    instrument = await Instrument.open(pty.b)
  })

  it('streams what the instrument says to the window as batched frames', async () => {
    const frame = nextFrame(
      (f) => f.direction === 'rx' && Buffer.from(f.data).toString() === 'T=21.50,RH=40.0',
      'the reading as an rx frame',
    )
    await instrument.write('T=21.50,RH=40.0\n')
    const got = await frame
    assert.equal(got.port, 'dev')
    assert.ok(got.data instanceof Uint8Array)
    assert.ok(Math.abs(got.ts - Date.now()) < 60_000)
  })

  it('sends a command from the send box to the instrument, and shows it as tx', async () => {
    const tx = nextFrame((f) => f.direction === 'tx', 'the command as a tx frame')
    const sent = await bridge.sendToPort({
      port: 'dev',
      data: '*IDN?',
      format: 'text',
      terminator: '\r\n',
    })
    assert.deepEqual(sent, { ok: true, value: { bytes: 7 } })
    await instrument.waitForLine('*IDN?\r')
    assert.equal(Buffer.from((await tx).data).toString(), '*IDN?\r\n')
  })

  it('reports settings changes to the window', async () => {
    const settings = next<'settings'>(
      (l) => bridge.onSettings(l),
      (s) => s.server.allowedOrigins.includes('http://lab-tool.local'),
      'settings with the new origin',
    )
    const allowed = await bridge.allowOrigin('http://lab-tool.local')
    assert.ok(allowed.ok)
    await settings
  })
})
