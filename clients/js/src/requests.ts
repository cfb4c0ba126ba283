import { Busy, errorFromCode, type BridgeError } from './errors.js'
import type { ServerMessage } from './wire.js'

interface Waiting {
  resolve(message: ServerMessage): void
  reject(error: BridgeError): void
}

/**
 * Requests sent on the current connection, by `id`. Bounded: past `limit` a new request fails
 * at once with `Busy` (the caller is far ahead of the bridge), and nothing is sent.
 */
export class Requests {
  private nextId = 1
  private readonly waiting = new Map<number, Waiting>()

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.waiting.size
  }

  /** Reserves an id; the promise settles with the answer carrying it. */
  open(): { id: number; answer: Promise<ServerMessage> } {
    if (this.waiting.size >= this.limit)
      throw new Busy(`${this.limit} requests are already waiting for an answer`)
    const id = this.nextId++
    const answer = new Promise<ServerMessage>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
    })
    return { id, answer }
  }

  /** Settles the request a message answers; false when it answers none of ours. */
  settle(message: ServerMessage): boolean {
    const id = 'id' in message ? message.id : undefined
    if (typeof id !== 'number') return false
    const waiting = this.waiting.get(id)
    if (!waiting) return false
    this.waiting.delete(id)
    if (message.type === 'error') waiting.reject(errorFromCode(message.code, message.message))
    else waiting.resolve(message)
    return true
  }

  /** Fails every request still waiting (the connection dropped). */
  failAll(error: () => BridgeError): void {
    const all = [...this.waiting.values()]
    this.waiting.clear()
    for (const waiting of all) waiting.reject(error())
  }
}
