import type { PortSettingsInput, SettingsInput } from '../../common/settings-schema'
import type { ServerExtension } from '../../main/core/server/bridge-server'
import { startEngine } from './engine-fixture'
import { Instrument } from './instrument'
import { SocatPair } from './socat-pair'

export interface PtyBridge {
  pty: SocatPair
  bridge: Awaited<ReturnType<typeof startEngine>>
  /** The test's instrument, on the far end of the pty. */
  instrument: Instrument
  stop(): Promise<void>
}

/**
 * A real engine on port 0 whose port `port.id` is open on a fresh socat pty pair, with the
 * test playing the instrument on the other end. `stop()` undoes all of it.
 */
export async function startPtyBridge(
  name: string,
  port: Omit<PortSettingsInput, 'path'> & { id: string },
  settings: {
    server?: SettingsInput['server']
    otherPorts?: PortSettingsInput[]
    extensions?: ServerExtension[]
  } = {},
): Promise<PtyBridge> {
  const pty = new SocatPair(name)
  await pty.plug()
  const bridge = await startEngine(
    {
      server: settings.server,
      ports: [{ ...port, path: pty.a }, ...(settings.otherPorts ?? [])],
    },
    { extensions: settings.extensions },
  )
  await bridge.engine.openPort(port.id)
  const instrument = await Instrument.open(pty.b)
  return {
    pty,
    bridge,
    instrument,
    async stop() {
      await instrument.close()
      await bridge.stop()
      await pty.dispose()
    },
  }
}
