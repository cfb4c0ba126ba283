import { EventEmitter } from 'node:events'
import type { InvokeEvent } from '../../main/ipc/register-handlers'

/**
 * Stand-ins for the Electron objects the shell takes as parameters. The Electron binary
 * cannot run here (`require('electron')` throws), so these mimic the documented behaviour the
 * shell relies on: IPC payloads are structured-cloned, a second `handle` on one channel
 * throws, errors thrown in main reach the renderer prefixed with the channel.
 */

type Handler = (event: InvokeEvent, ...args: unknown[]) => unknown

export class FakeIpcMain {
  readonly handlers = new Map<string, Handler>()

  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`)
    }
    this.handlers.set(channel, listener)
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }

  /** What one `ipcRenderer.invoke` does on the main side, from a frame at `frameUrl`. */
  async invokeFrom(frameUrl: string | null, channel: string, args: unknown[]): Promise<unknown> {
    const prefix = `Error invoking remote method '${channel}'`
    const handler = this.handlers.get(channel)
    if (!handler) throw new Error(`${prefix}: Error: No handler registered for '${channel}'`)
    const event: InvokeEvent = { senderFrame: frameUrl === null ? null : { url: frameUrl } }
    let result: unknown
    try {
      result = await handler(event, ...structuredClone(args))
    } catch (error) {
      throw new Error(`${prefix}: ${String(error)}`, { cause: error })
    }
    return structuredClone(result)
  }
}

type RendererListener = (event: { sender: FakeIpcRenderer }, payload: unknown) => void

/** The renderer end of IPC, wired to a `FakeIpcMain` as a frame showing `frameUrl`. */
export class FakeIpcRenderer {
  private readonly listeners = new Map<string, Set<RendererListener>>()

  constructor(
    private readonly main: FakeIpcMain,
    private readonly frameUrl: string | null,
  ) {}

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    return this.main.invokeFrom(this.frameUrl, channel, args)
  }

  on(channel: string, listener: RendererListener): this {
    let set = this.listeners.get(channel)
    if (!set) this.listeners.set(channel, (set = new Set()))
    set.add(listener)
    return this
  }

  removeListener(channel: string, listener: RendererListener): this {
    this.listeners.get(channel)?.delete(listener)
    return this
  }

  listenerCount(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0
  }

  /** A message from main (`webContents.send`), cloned as IPC would. */
  deliver(channel: string, payload: unknown): void {
    const copy = structuredClone(payload)
    for (const listener of this.listeners.get(channel) ?? []) listener({ sender: this }, copy)
  }
}

/** `webContents` as an event target: `send` reaches the renderer stand-in. */
export class FakeWebContents {
  destroyed = false
  readonly sent: Array<{ channel: string; payload: unknown }> = []

  constructor(private readonly renderer?: FakeIpcRenderer) {}

  send(channel: string, payload: unknown): void {
    if (this.destroyed) throw new Error('Object has been destroyed')
    this.sent.push({ channel, payload })
    this.renderer?.deliver(channel, payload)
  }

  isDestroyed(): boolean {
    return this.destroyed
  }
}

export class FakeContextBridge {
  readonly exposed = new Map<string, unknown>()

  exposeInMainWorld(key: string, api: unknown): void {
    if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property`)
    this.exposed.set(key, api)
  }
}

/** An event whose default can be prevented, as Electron passes to `close`, `will-navigate`... */
export class FakeEvent {
  defaultPrevented = false
  preventDefault(): void {
    this.defaultPrevented = true
  }
}

/** `webContents` for the security guards: records listeners and the window-open handler. */
export class FakeGuardedContents extends EventEmitter {
  windowOpenHandler: (() => { action: 'deny' | 'allow' }) | null = null

  setWindowOpenHandler(handler: () => { action: 'deny' }): void {
    this.windowOpenHandler = handler
  }
}

export class FakeSession {
  requestHandler:
    ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null =
    null
  checkHandler: ((contents: unknown, permission: string) => boolean) | null = null

  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void {
    this.requestHandler = handler
  }

  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void {
    this.checkHandler = handler
  }
}

/** Electron's `app`: events plus the calls the shell makes. */
export class FakeApp extends EventEmitter {
  quitCalls = 0
  loginItemSettings: Array<{ openAtLogin: boolean; path?: string }> = []

  constructor(private readonly hasLock = true) {
    super()
  }

  requestSingleInstanceLock(): boolean {
    return this.hasLock
  }

  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string }): void {
    this.loginItemSettings.push(settings)
  }

  /** Like Electron: `before-quit`, then `will-quit` (which a listener may prevent). */
  quit(): void {
    this.quitCalls += 1
    this.emit('before-quit', new FakeEvent())
    this.emit('will-quit', new FakeEvent())
  }
}

/** A `BrowserWindow` for close/hide/show behaviour. */
export class FakeWindow extends EventEmitter {
  visible = true
  minimized = false
  focused = false

  /** Like a click on the window's close button: `close` may be prevented. */
  requestClose(): FakeEvent {
    const event = new FakeEvent()
    this.emit('close', event)
    if (!event.defaultPrevented) this.visible = false
    return event
  }

  hide(): void {
    this.visible = false
    this.focused = false
  }

  show(): void {
    this.visible = true
  }

  focus(): void {
    this.focused = true
  }

  restore(): void {
    this.minimized = false
  }

  isMinimized(): boolean {
    return this.minimized
  }
}

/** `Tray` plus `Menu.buildFromTemplate` (which returns the template here). */
export class FakeTray<M> extends EventEmitter {
  tooltip = ''
  menu: M | null = null
  destroyed = false

  setToolTip(text: string): void {
    this.tooltip = text
  }

  setContextMenu(menu: M): void {
    this.menu = menu
  }

  destroy(): void {
    this.destroyed = true
  }
}
