import { createEngine, type EngineOptions } from '../../main/core/engine'
import { settingsSchema, type SettingsInput } from '../../common/settings-schema'

/** A real engine on 127.0.0.1, port 0, with the given settings. */
export async function startEngine(input: SettingsInput = {}, options: Partial<EngineOptions> = {}) {
  const settings = settingsSchema.parse({ ...input, server: { port: 0, ...input.server } })
  const engine = createEngine({ settings, deviceListIntervalMs: 60_000, ...options })
  const status = await engine.start()
  if (status.state !== 'listening' || !status.url)
    throw new Error(`engine did not start: ${status.error}`)
  return { engine, url: status.url, stop: () => engine.stop() }
}
