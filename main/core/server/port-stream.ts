import type { ErrorCode } from '../../../common/protocol'
import { encodeWrite } from '../protocol/write-payload'
import type { MessageBudget } from '../rate-limit/message-budgets'
import type { PortManager } from '../serial/port-manager'
import type { Client } from './client'
import { errorCodeOf } from './request-errors'

/**
 * A `/ports/{id}` client's frame, written to its port: text gets the port's terminator, binary
 * goes as is. There is no acknowledgement; only a JSON stream hears about a refused write.
 */
export async function writeFromStream(
  client: Client,
  portId: string,
  bytes: Buffer,
  isBinary: boolean,
  ports: PortManager,
  budget: MessageBudget,
): Promise<void> {
  const report = (code: ErrorCode, message: string): void => {
    // Text and binary streams carry only port data; JSON streams can carry the error.
    if (client.meta.format === 'json') client.sendMessage({ type: 'error', code, message })
  }
  if (client.readOnly) return report('FORBIDDEN', 'this client is read-only')
  const port = ports.get(portId)
  if (!port) return report('UNKNOWN_PORT', `unknown port: ${portId}`)
  let payload = bytes
  if (!isBinary) {
    // utf8 text always encodes.
    const encoded = encodeWrite(bytes.toString('utf8'), 'utf8', port.settings)
    if (!encoded.ok) return report('BAD_MESSAGE', encoded.errors.join('; '))
    payload = encoded.value
  }
  const spent = budget.spend(client)
  if (!spent.ok) return report('RATE_LIMITED', budget.refusal(spent.retryAfterMs))
  try {
    await port.write(payload, client)
  } catch (error) {
    const code = errorCodeOf(error)
    if (code !== null) report(code, (error as Error).message)
  }
}
