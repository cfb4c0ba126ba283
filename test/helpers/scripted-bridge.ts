import type { PortSettingsInput, SettingsInput } from '../../common/settings-schema'
import { startPtyBridge, type PtyBridge } from './pty-bridge'
import { ScriptedInstrument, type Answer } from './scripted-instrument'

export interface ScriptedBridge {
  rig: PtyBridge
  bridge: PtyBridge['bridge']
  meter: ScriptedInstrument
  stop(): Promise<void>
}

/** `startPtyBridge` with a scripted instrument on the far end instead of a plain one. */
export async function startScriptedBridge(
  name: string,
  port: Omit<PortSettingsInput, 'path'> & { id: string },
  answer: Answer,
  options: { delayMs?: number; server?: SettingsInput['server'] } = {},
): Promise<ScriptedBridge> {
  const rig = await startPtyBridge(name, port, { server: options.server })
  await rig.instrument.close()
  const meter = await ScriptedInstrument.open(rig.pty.b, answer, options)
  return {
    rig,
    bridge: rig.bridge,
    meter,
    async stop() {
      await meter.close()
      await rig.bridge.stop()
      await rig.pty.dispose()
    },
  }
}
