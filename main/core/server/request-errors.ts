import type { ErrorCode } from '../../../common/protocol'
import { QueryTimeoutError } from '../serial/query-queue'
import { BusyError, OwnerGoneError, WriteTimeoutError } from '../serial/queue-errors'

/**
 * The error code that answers a failed write or query; null when the client that asked has
 * gone. Anything else is the port's: not open, a write the OS refused, an unplug.
 */
export function errorCodeOf(error: unknown): ErrorCode | null {
  if (error instanceof OwnerGoneError) return null
  if (error instanceof BusyError) return 'BUSY'
  if (error instanceof QueryTimeoutError || error instanceof WriteTimeoutError) return 'TIMEOUT'
  return 'PORT_NOT_OPEN'
}
