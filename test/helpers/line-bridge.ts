import type { PortSettingsInput, SettingsInput } from '../../common/settings-schema'
import type { ServerExtension } from '../../main/core/server/bridge-server'
import { startEngine } from './engine-fixture'
import type { TestLine } from './test-lines'

export interface LineBridge<L extends TestLine = TestLine> {
  line: L
  bridge: Awaited<ReturnType<typeof startEngine>>
  /** The test's instrument, on the far end of the line. */
  instrument: Awaited<ReturnType<L['openInstrument']>>
  stop(): Promise<void>
}

export interface LineBridgeSettings {
  server?: SettingsInput['server']
  otherPorts?: PortSettingsInput[]
  extensions?: ServerExtension[]
}

/**
 * A real engine on port 0 whose port `port.id` is open on `line` (plugged in here), with the
 * test playing the instrument on the other end. `stop()` undoes all of it, the line included.
 */
export async function startLineBridge<L extends TestLine>(
  line: L,
  port: Omit<PortSettingsInput, 'path'> & { id: string },
  settings: LineBridgeSettings = {},
): Promise<LineBridge<L>> {
  await line.plug()
  const bridge = await startEngine(
    {
      server: settings.server,
      ports: [{ ...port, path: line.a }, ...(settings.otherPorts ?? [])],
    },
    { extensions: settings.extensions, binding: line.binding },
  )
  await bridge.engine.openPort(port.id)
  const instrument = (await line.openInstrument()) as LineBridge<L>['instrument']
  return {
    line,
    bridge,
    instrument,
    async stop() {
      await instrument.close()
      await bridge.stop()
      await line.dispose()
    },
  }
}
