import type { PortSettingsInput } from '../../common/settings-schema'
import { startLineBridge, type LineBridge, type LineBridgeSettings } from './line-bridge'
import { SocatPair } from './socat-pair'

export interface PtyBridge extends LineBridge<SocatPair> {
  pty: SocatPair
}

/**
 * A real engine on port 0 whose port `port.id` is open on a fresh socat pty pair, with the
 * test playing the instrument on the other end. `stop()` undoes all of it.
 */
export async function startPtyBridge(
  name: string,
  port: Omit<PortSettingsInput, 'path'> & { id: string },
  settings: LineBridgeSettings = {},
): Promise<PtyBridge> {
  const rig = await startLineBridge(new SocatPair(name), port, settings)
  return { ...rig, pty: rig.line }
}
