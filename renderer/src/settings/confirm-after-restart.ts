import type { BridgeApi } from '../../../common/contract'
import type { Settings } from '../../../common/settings-schema'
import { ConnectionLostError } from '../bridge/web-bridge'
import type { Outcome } from '../shared/use-action'

/**
 * Runs a call whose answer a server restart may cut off (the restart it asked for drops the
 * admin connection). Then the call may or may not have been done: this reads the settings in
 * force once the connection is back and lets `judge` say, truthfully, what happened.
 */
export async function confirmAfterRestart<T>(
  bridge: BridgeApi,
  call: () => Promise<T>,
  answered: (value: T) => Outcome,
  judge: (settings: Settings) => Outcome,
  waiting: (text: string) => void,
): Promise<Outcome> {
  let value: T
  try {
    value = await call()
  } catch (error) {
    if (!(error instanceof ConnectionLostError)) throw error
    waiting('The server restarted before it answered: checking what was saved…')
    return judge(await bridge.getSettings())
  }
  return answered(value)
}
