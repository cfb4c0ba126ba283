import type { BindingInterface, PortInfo } from '@serialport/bindings-interface'
import type { DeviceChange, DeviceInfo, DeviceListResult } from '../../../common/engine-api'

/** Lists serial devices; a failure (udevadm missing, a driver hiccup) is a result, never a throw. */
export async function listDevices(
  binding: Pick<BindingInterface, 'list'>,
): Promise<DeviceListResult> {
  try {
    const ports = await binding.list()
    return { ok: true, devices: ports.map(toDeviceInfo) }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return {
      ok: false,
      error: `Could not list serial ports: ${message}. A path typed by hand still works.`,
      devices: [],
    }
  }
}

function toDeviceInfo(port: PortInfo & { friendlyName?: string }): DeviceInfo {
  const info: DeviceInfo = { path: port.path }
  if (port.manufacturer) info.manufacturer = port.manufacturer
  if (port.serialNumber) info.serialNumber = port.serialNumber
  if (port.vendorId) info.vendorId = port.vendorId.toLowerCase()
  if (port.productId) info.productId = port.productId.toLowerCase()
  if (port.friendlyName) info.friendlyName = port.friendlyName
  return info
}

const key = (d: DeviceInfo): string => `${d.path}|${d.serialNumber ?? ''}`

export function diffDevices(before: DeviceInfo[], after: DeviceInfo[]): DeviceChange {
  const had = new Set(before.map(key))
  const has = new Set(after.map(key))
  return {
    added: after.filter((d) => !had.has(key(d))),
    removed: before.filter((d) => !has.has(key(d))),
    devices: after,
  }
}

export interface DeviceWatcher {
  /** The last successful list. */
  current(): DeviceInfo[]
  /** Lists now, emitting a change if anything was added or removed. */
  refresh(): Promise<DeviceListResult>
  /** Re-lists every interval while on. Off at first: on Linux each list spawns udevadm. */
  setPolling(on: boolean): void
  stop(): void
}

/**
 * Re-lists every `intervalMs` and reports what was plugged in or out. Also the watchdog for
 * Windows, where the `close` event after an unplug can come late or never.
 */
export function watchDevices(
  binding: Pick<BindingInterface, 'list'>,
  intervalMs: number,
  onChange: (change: DeviceChange) => void,
): DeviceWatcher {
  let devices: DeviceInfo[] = []
  let listedOnce = false
  let running: Promise<DeviceListResult> | null = null

  const refresh = (): Promise<DeviceListResult> => {
    running ??= listDevices(binding)
      .then((result) => {
        if (result.ok) {
          const change = diffDevices(devices, result.devices)
          devices = result.devices
          if (listedOnce && (change.added.length > 0 || change.removed.length > 0)) onChange(change)
          listedOnce = true
        }
        return result
      })
      .finally(() => (running = null))
    return running
  }

  let timer: NodeJS.Timeout | null = null
  const setPolling = (on: boolean): void => {
    if (on && !timer) {
      timer = setInterval(() => void refresh(), intervalMs)
      timer.unref()
    } else if (!on && timer) {
      clearInterval(timer)
      timer = null
    }
  }
  return { current: () => devices, refresh, setPolling, stop: () => setPolling(false) }
}

/** The device a port's `match` points at, if it is plugged in. */
export function findMatch(
  devices: DeviceInfo[],
  match: { serialNumber?: string; vendorId?: string; productId?: string },
): DeviceInfo | undefined {
  if (!match.serialNumber && !match.vendorId && !match.productId) return undefined
  return devices.find(
    (d) =>
      (!match.serialNumber || d.serialNumber === match.serialNumber) &&
      (!match.vendorId || d.vendorId === match.vendorId.toLowerCase()) &&
      (!match.productId || d.productId === match.productId.toLowerCase()),
  )
}
