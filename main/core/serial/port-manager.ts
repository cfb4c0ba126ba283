import type { BindingInterface } from '@serialport/bindings-interface'
import type { DeviceChange, DeviceListResult } from '../../../common/engine-api'
import type { PortInfo } from '../../../common/protocol'
import type { PortSettings } from '../../../common/settings-schema'
import { findMatch, watchDevices, type DeviceWatcher } from './device-list'
import { PortController } from './port-controller'
import type { PortLimits } from './port-limits'
import type { RxFrame } from './rx-frame'

export interface PortManagerEvents {
  status(info: PortInfo): void
  removed(info: PortInfo): void
  rx(frame: RxFrame): void
  tx(port: string, bytes: Buffer, ts: number): void
  devices(change: DeviceChange): void
}

export interface PortManagerDeps {
  binding: BindingInterface
  /** How often devices are re-listed (hot-plug and the unplug watchdog). */
  deviceListIntervalMs?: number
  now?: () => number
  /** Adds what capabilities know about a port (its polls, its recording) to its PortInfo. */
  describe?: (info: PortInfo) => PortInfo
  limits?: () => PortLimits
}

/** Every configured port, by id. */
export class PortManager {
  private readonly controllers = new Map<string, PortController>()
  private readonly watcher: DeviceWatcher

  constructor(
    private readonly deps: PortManagerDeps,
    private readonly events: PortManagerEvents,
  ) {
    this.watcher = watchDevices(deps.binding, deps.deviceListIntervalMs ?? 2000, (change) => {
      for (const gone of change.removed) {
        for (const c of this.controllers.values()) if (c.path === gone.path) c.deviceGone()
      }
      events.devices(change)
    })
    this.setDevicePolling(false)
  }

  get(id: string): PortController | undefined {
    return this.controllers.get(id)
  }

  ports(): PortInfo[] {
    return [...this.controllers.values()].map((c) => this.info(c))
  }

  /** A port's PortInfo with what capabilities add to it. */
  info(controller: PortController): PortInfo {
    return this.describe(controller.info())
  }

  /** Tells listeners a port's info changed in a way its controller does not see. */
  changed(id: string): void {
    const controller = this.controllers.get(id)
    if (controller) this.events.status(this.info(controller))
  }

  has(id: string): boolean {
    return this.controllers.has(id)
  }

  add(settings: PortSettings): PortController {
    if (this.controllers.has(settings.id))
      throw new Error(`a port with id "${settings.id}" already exists`)
    const controller = new PortController(
      settings,
      {
        binding: this.deps.binding,
        resolvePath: (s) => this.resolvePath(s),
        now: this.deps.now,
        limits: this.deps.limits,
      },
      {
        status: (info) => this.events.status(this.describe(info)),
        rx: this.events.rx,
        tx: this.events.tx,
      },
    )
    this.controllers.set(settings.id, controller)
    this.events.status(this.info(controller))
    return controller
  }

  /** Applies new settings to a port; a changed id moves it (clients of the old id keep nothing). */
  async update(id: string, settings: PortSettings): Promise<PortController> {
    const controller = this.controllers.get(id)
    if (!controller) throw new Error(`no port with id "${id}"`)
    if (settings.id !== id) {
      if (this.controllers.has(settings.id))
        throw new Error(`a port with id "${settings.id}" already exists`)
      await this.remove(id)
      const moved = this.add(settings)
      if (settings.autoOpen) void moved.open()
      return moved
    }
    await controller.reconfigure(settings)
    return controller
  }

  async remove(id: string): Promise<void> {
    const controller = this.controllers.get(id)
    if (!controller) return
    await controller.close()
    this.controllers.delete(id)
    this.events.removed(this.info(controller))
  }

  /** A client has gone: its queued queries and writes on every port are dropped, never sent. */
  cancelOwner(owner: object): void {
    for (const c of this.controllers.values()) c.cancelOwner(owner)
  }

  /** Opens every port whose settings say `autoOpen`; does not wait for devices that are missing. */
  openAutoPorts(): void {
    for (const c of this.controllers.values()) if (c.settings.autoOpen) void c.open()
  }

  async openAll(): Promise<void> {
    await Promise.all([...this.controllers.values()].map((c) => c.open()))
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.controllers.values()].map((c) => c.close()))
  }

  /**
   * Polls the device list while something shows it (a UI) and always on Windows, where it is
   * the unplug watchdog and costs no process. Elsewhere an unplug is seen without it.
   */
  setDevicePolling(wanted: boolean): void {
    this.watcher.setPolling(wanted || process.platform === 'win32')
  }

  listDevices(): Promise<DeviceListResult> {
    return this.watcher.refresh()
  }

  async stop(): Promise<void> {
    this.watcher.stop()
    await this.closeAll()
  }

  private describe(info: PortInfo): PortInfo {
    return this.deps.describe ? this.deps.describe(info) : info
  }

  private async resolvePath(settings: PortSettings): Promise<string | null> {
    if (!settings.match) return null
    const listed = await this.watcher.refresh()
    return findMatch(listed.devices, settings.match)?.path ?? null
  }
}
