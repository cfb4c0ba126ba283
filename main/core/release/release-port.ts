import { MAX_RELEASE_SECONDS } from '../../../common/protocol'
import type { PortController } from '../serial/port-controller'

/**
 * Releases a port for `seconds` (null: until it is opened), for the protocol's `release` and the
 * engine's `releasePort` alike. Returns when it opens again by itself, ISO-8601 or null.
 */
export async function releasePort(
  controller: PortController,
  seconds: number | null,
  now: number,
): Promise<string | null> {
  const limited = seconds === null ? null : Math.min(seconds, MAX_RELEASE_SECONDS)
  const until = limited === null ? null : now + limited * 1000
  await controller.release(until)
  return until === null ? null : new Date(until).toISOString()
}
