import { SIM_PREFIX } from './sim-paths'

/**
 * One device, one port: two ports on the same device would fight over it (the second open
 * fails with "in use by another program", which points the user at the wrong culprit).
 * Simulated ports (`sim:demo`, `sim:replay`) are not devices: each port gets its own.
 */

export interface DeviceRef {
  id: string
  path: string
  match?: { serialNumber?: string; vendorId?: string; productId?: string }
}

/** Windows names ports without regard to case, and `\\.\COM3` is COM3. */
function pathKey(path: string): string {
  const com = /^(?:\\\\\.\\)?(com\d+)$/i.exec(path)
  return com ? com[1]!.toUpperCase() : path
}

function matchKey(match: DeviceRef['match']): string | null {
  if (!match || (!match.serialNumber && !match.vendorId && !match.productId)) return null
  return [
    match.serialNumber ?? '',
    match.vendorId?.toLowerCase() ?? '',
    match.productId?.toLowerCase() ?? '',
  ].join('\u0000')
}

/**
 * Why `port` may not be added beside `others`, naming the field and the port that has the
 * device already; null when it is free. A port is never in conflict with itself (`sameId`).
 */
export function deviceConflict<T extends DeviceRef>(
  port: DeviceRef,
  others: Iterable<T>,
  sameId: string | null = null,
): { field: 'path' | 'match'; message: string; other: T } | null {
  const path = pathKey(port.path)
  const match = matchKey(port.match)
  const simulated = port.path.startsWith(SIM_PREFIX)
  for (const other of others) {
    if (other.id === sameId) continue
    if (!simulated && pathKey(other.path) === path) {
      return {
        field: 'path',
        other,
        message: `${port.path} is already used by port "${other.id}": one device can belong to one port only`,
      }
    }
    if (match !== null && matchKey(other.match) === match) {
      return {
        field: 'match',
        other,
        message: `port "${other.id}" already matches this device (the same serial number / USB ids)`,
      }
    }
  }
  return null
}
