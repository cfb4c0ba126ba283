import { useEffect, useState } from 'react'
import type { AdminConnection, AdminConnectionState } from './web-bridge'

/** The admin connection's state, kept current; null in the desktop app (no admin socket). */
export function useConnectionState(
  connection: AdminConnection | null,
): AdminConnectionState | null {
  const [state, setState] = useState(() => connection?.current() ?? null)
  useEffect(() => {
    if (!connection) return
    setState(connection.current())
    return connection.onChange(setState)
  }, [connection])
  return state
}
