import type { EngineOptions } from '../../main/core/engine'
import type { PortSettingsInput, SettingsInput } from '../../common/settings-schema'
import { startEngine } from './engine-fixture'
import { ScriptedInstrument, type Answer } from './scripted-instrument'
import { SocatPair } from './socat-pair'

export interface ScriptedBridge {
  pty: SocatPair
  bridge: Awaited<ReturnType<typeof startEngine>>
  /** The scripted instrument on the far end; a test that unplugs opens a new one. */
  meter: ScriptedInstrument
  stop(): Promise<void>
}

/**
 * A real engine on port 0 whose port `port.id` is open on a fresh socat pty pair, with a scripted
 * instrument (see scripted-instrument) on the other end. `stop()` undoes all of it.
 */
export async function startScriptedBridge(
  name: string,
  port: Omit<PortSettingsInput, 'path'> & { id: string },
  answer: Answer,
  options: {
    delayMs?: number
    server?: SettingsInput['server']
    engine?: Partial<EngineOptions>
  } = {},
): Promise<ScriptedBridge> {
  const pty = new SocatPair(name)
  await pty.plug()
  const bridge = await startEngine(
    { server: options.server, ports: [{ ...port, path: pty.a }] },
    options.engine,
  )
  await bridge.engine.openPort(port.id)
  const rig: ScriptedBridge = {
    pty,
    bridge,
    meter: await ScriptedInstrument.open(pty.b, answer, options),
    async stop() {
      await rig.meter.close()
      await bridge.stop()
      await pty.dispose()
    },
  }
  return rig
}
