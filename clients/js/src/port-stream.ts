import type { ItemQueue } from './item-queue.js'
import type { StreamItem } from './items.js'

/**
 * One reader of one port: `for await (const item of stream)` yields `Frame`s and `Gap`s in
 * order. Leaving the loop (or `close()`) ends it; the port is unsubscribed once its last
 * stream ends.
 */
export class PortStream implements AsyncIterableIterator<StreamItem> {
  private closed = false

  constructor(
    readonly port: string,
    private readonly queue: ItemQueue,
    /**
     * Resolves once the bridge confirmed the subscription: frames the port reads from then on
     * are in this stream. Rejects as the iteration would (e.g. `UnknownPort`).
     */
    readonly ready: Promise<void>,
    private readonly onClose: (stream: PortStream) => void,
  ) {}

  next(): Promise<IteratorResult<StreamItem>> {
    return this.queue.next()
  }

  return(): Promise<IteratorResult<StreamItem>> {
    this.close()
    return Promise.resolve({ value: undefined, done: true })
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  /** Stops this stream; a reader waiting in `next()` gets `done`. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.queue.end()
    this.onClose(this)
  }
}
