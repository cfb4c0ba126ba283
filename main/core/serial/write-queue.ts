import { BusyError, OwnerGoneError, WriteTimeoutError } from './queue-errors'

export interface WriteLimits {
  /** Bytes waiting per port, in flight included. A write alone may pass it when nothing waits. */
  maxBytes: number
  timeoutMs: number
}

/** Writes waiting per port, whatever their size: each costs a timer and a promise. */
export const MAX_QUEUED_WRITES = 4096
/** What is handed to the port at once; beyond this, a waiting write can still be cancelled. */
const BATCH_BYTES = 64 * 1024

/** Writes the bytes; `done` is called once the OS has them (or never, if the port stalls). */
export type WriteSink = (bytes: Buffer, done: (error?: Error | null) => void) => void

interface Item {
  bytes: Buffer
  owner: object | null
  resolve: () => void
  reject: (error: Error) => void
  settled: boolean
  timer: NodeJS.Timeout | null
}

/**
 * One port's writes, in order. Each knows who sent it, so a client's writes can be dropped when
 * it leaves; each has a timeout that answers its sender; the bytes waiting are bounded. Only a
 * batch at a time is given to the port, so what waits behind a stalled port stays cancellable.
 */
export class WriteQueue {
  private readonly waiting: Item[] = []
  private inFlight: Item[] | null = null
  private bytesWaiting = 0

  constructor(
    private readonly sink: () => WriteSink | null,
    private readonly limits: () => WriteLimits,
  ) {}

  /** Resolves once the port has the bytes; `signal` drops the write if it has not left yet. */
  push(bytes: Buffer, owner: object | null, signal?: AbortSignal): Promise<void> {
    const { maxBytes, timeoutMs } = this.limits()
    const queued = this.waiting.length + (this.inFlight ? this.inFlight.length : 0)
    if (queued >= MAX_QUEUED_WRITES)
      return Promise.reject(new BusyError(`${MAX_QUEUED_WRITES} writes are waiting for this port`))
    if (this.bytesWaiting > 0 && this.bytesWaiting + bytes.length > maxBytes) {
      return Promise.reject(
        new BusyError(`${this.bytesWaiting} bytes are waiting for this port (limit ${maxBytes})`),
      )
    }
    return new Promise<void>((resolve, reject) => {
      const item: Item = { bytes, owner, resolve, reject, settled: false, timer: null }
      item.timer = setTimeout(() => this.timeOut(item, timeoutMs), timeoutMs)
      signal?.addEventListener('abort', () => this.drop(item, signal.reason as Error), {
        once: true,
      })
      this.waiting.push(item)
      this.bytesWaiting += bytes.length
      this.next()
    })
  }

  /** Drops every write of `owner` that has not been handed to the port. */
  cancelOwner(owner: object): void {
    for (const item of this.waiting.filter((i) => i.owner === owner))
      this.drop(item, new OwnerGoneError())
  }

  /** Fails every write, waiting or in flight (the port closed). */
  failAll(error: Error): void {
    const items = [...(this.inFlight ?? []), ...this.waiting.splice(0)]
    this.inFlight = null
    this.bytesWaiting = 0
    for (const item of items) this.settle(item, error)
  }

  /** Answers the sender; a write that has not had its turn yet is never sent. */
  private timeOut(item: Item, timeoutMs: number): void {
    const error = new WriteTimeoutError(timeoutMs)
    if (this.waiting.includes(item)) this.drop(item, error)
    else this.settle(item, error)
  }

  private drop(item: Item, error: Error): void {
    const index = this.waiting.indexOf(item)
    if (index < 0) return
    this.waiting.splice(index, 1)
    this.bytesWaiting -= item.bytes.length
    this.settle(item, error)
  }

  private settle(item: Item, error: Error | null): void {
    if (item.settled) return
    item.settled = true
    if (item.timer) clearTimeout(item.timer)
    if (error) item.reject(error)
    else item.resolve()
  }

  private next(): void {
    if (this.inFlight || this.waiting.length === 0) return
    const sink = this.sink()
    if (!sink) return
    const batch: Item[] = []
    let size = 0
    while (this.waiting.length > 0) {
      const length = this.waiting[0]!.bytes.length
      if (batch.length > 0 && size + length > BATCH_BYTES) break
      batch.push(this.waiting.shift()!)
      size += length
    }
    this.inFlight = batch
    const bytes = batch.length === 1 ? batch[0]!.bytes : Buffer.concat(batch.map((i) => i.bytes))
    sink(bytes, (error) => {
      if (this.inFlight !== batch) return
      this.inFlight = null
      this.bytesWaiting -= size
      for (const item of batch) this.settle(item, error ?? null)
      this.next()
    })
  }
}
