import type { ErrorCode } from '../../../common/protocol'
import { QueryTimeoutError } from '../serial/query-queue'

/**
 * The error code that answers a failed write or query. Anything but a timeout is the port's:
 * not open, a write the OS refused, an unplug.
 */
export function errorCodeOf(error: unknown): ErrorCode | null {
  if (error instanceof QueryTimeoutError) return 'TIMEOUT'
  return 'PORT_NOT_OPEN'
}
