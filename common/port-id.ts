/** A port id appears in URLs (`/ports/{id}`) and file names, so it is kept URL-safe. */
export const PORT_ID_PATTERN = /^[A-Za-z0-9._~-]{1,64}$/

/** `/dev/ttyUSB0` → `ttyUSB0`, `COM3` → `COM3`, `sim:demo` → `sim-demo`. */
export function defaultPortId(path: string): string {
  const base = path.split(/[\\/]/).filter(Boolean).pop() ?? path
  const safe = base.replace(/[^A-Za-z0-9._~-]+/g, '-').slice(0, 64)
  return safe.length > 0 ? safe : 'port'
}
