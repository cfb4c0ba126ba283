import {
  invokeChannels,
  type BridgeOperations,
  type OperationName,
  type Unsubscribe,
} from '../../common/contract'
import { checkOperationArgs } from '../admin/operation-args'
import type { SenderFrame } from './sender-check'

/** The part of an `IpcMainInvokeEvent` a handler looks at. */
export interface InvokeEvent {
  readonly senderFrame: SenderFrame | null
}

/** The part of Electron's `ipcMain` used here. */
export interface HandlerRegistry {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

export interface RegisterOptions {
  ipcMain: HandlerRegistry
  operations: BridgeOperations
  isTrustedSender: (frame: SenderFrame | null) => boolean
  /** Told about refused calls (a foreign sender or bad arguments). */
  onRefused?: (operation: OperationName, reason: string) => void
}

/**
 * One `ipcMain.handle` per contract operation. Each checks that the call comes from our
 * renderer and that its arguments fit the operation before the engine sees them.
 */
export function registerBridgeHandlers(options: RegisterOptions): Unsubscribe {
  const { ipcMain, operations, isTrustedSender } = options
  const entries = Object.entries(invokeChannels) as Array<[OperationName, string]>
  for (const [operation, channel] of entries) {
    ipcMain.handle(channel, async (event, ...args) => {
      if (!isTrustedSender(event.senderFrame)) {
        const reason = `refused: the call did not come from the Serial Bridge window (${event.senderFrame?.url ?? 'no frame'})`
        options.onRefused?.(operation, reason)
        throw new Error(`${operation}: ${reason}`)
      }
      const checked = checkOperationArgs(operation, args)
      if (!checked.ok) {
        options.onRefused?.(operation, checked.errors.join('; '))
        throw new Error(`${operation}: invalid arguments: ${checked.errors.join('; ')}`)
      }
      const call = operations[operation] as (...a: unknown[]) => Promise<unknown>
      return call(...checked.value)
    })
  }
  return () => {
    for (const [, channel] of entries) ipcMain.removeHandler(channel)
  }
}
