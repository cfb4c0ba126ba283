import type { Engine } from '../../../common/engine-api'
import type { Settings } from '../../../common/settings-schema'

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * Brings the running engine to `next` by changing only what differs, so a hand edit of one
 * port's baud rate reopens that port alone instead of every port and the server. When a step
 * is refused (e.g. two ports swapping paths), the whole file is imported instead.
 * Returns the errors in words; empty when everything applied.
 */
export async function applySettings(engine: Engine, next: Settings): Promise<string[]> {
  const current = engine.getSettings()
  const errors: string[] = []
  if (!same(current.server, next.server)) {
    // An address that cannot be bound is kept as it was and said in words; the ports go on.
    const server = await engine.updateServerSettings(next.server)
    if (!server.ok) errors.push(...server.errors)
  }
  const steps: Array<() => Promise<{ ok: boolean }>> = []
  const wanted = new Map(next.ports.map((p) => [p.id, p]))
  for (const port of current.ports) {
    if (!wanted.has(port.id)) steps.push(() => engine.removePort(port.id))
  }
  for (const port of next.ports) {
    const running = current.ports.find((p) => p.id === port.id)
    if (!running) steps.push(() => engine.addPort(port))
    else if (!same(running, port)) steps.push(() => engine.updatePort(port.id, port))
  }
  for (const step of steps) {
    if ((await step()).ok) continue
    const imported = await engine.importSettings(next)
    return imported.ok ? errors : [...errors, ...imported.errors]
  }
  const order = next.ports.map((p) => p.id)
  if (
    !same(
      engine.getSettings().ports.map((p) => p.id),
      order,
    )
  ) {
    // Same ports in another order: only an import puts them in the file's order.
    const imported = await engine.importSettings(next)
    return imported.ok ? errors : [...errors, ...imported.errors]
  }
  return errors
}
