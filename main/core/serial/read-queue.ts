/** The error serialport expects from a read cut short by closing the port. */
export function canceled(): Error {
  return Object.assign(new Error('Port is closed'), { canceled: true })
}

/**
 * What a simulated device has "sent" and the port has not read yet: each pushed chunk is read
 * on its own (never merged with the next), as a device's separate writes usually arrive.
 */
export class ReadQueue {
  private pending: Buffer[] = []
  private size = 0
  private reader: { resolve: () => void; reject: (e: Error) => void } | null = null
  private readonly lowWaiters: Array<{ below: number; resolve: () => void }> = []
  private closed = false

  get bytes(): number {
    return this.size
  }

  push(bytes: Buffer): void {
    if (this.closed || bytes.length === 0) return
    this.pending.push(bytes)
    this.size += bytes.length
    const reader = this.reader
    this.reader = null
    reader?.resolve()
  }

  async read(
    buffer: Buffer,
    offset: number,
    length: number,
  ): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (this.closed) throw canceled()
    while (this.pending.length === 0) {
      await new Promise<void>((resolve, reject) => (this.reader = { resolve, reject }))
      if (this.closed) throw canceled()
    }
    const head = this.pending[0]!
    const bytesRead = head.copy(buffer, offset, 0, Math.min(length, head.length))
    if (bytesRead === head.length) this.pending.shift()
    else this.pending[0] = head.subarray(bytesRead)
    this.size -= bytesRead
    this.wakeLow()
    return { buffer, bytesRead }
  }

  /** Resolves once fewer than `bytes` wait to be read (or the queue closed). */
  whenBelow(bytes: number): Promise<void> {
    if (this.size < bytes || this.closed) return Promise.resolve()
    return new Promise((resolve) => this.lowWaiters.push({ below: bytes, resolve }))
  }

  clear(): void {
    this.pending = []
    this.size = 0
    this.wakeLow()
  }

  close(): void {
    this.closed = true
    const reader = this.reader
    this.reader = null
    reader?.reject(canceled())
    this.clear()
  }

  private wakeLow(): void {
    for (let i = this.lowWaiters.length - 1; i >= 0; i--) {
      const waiter = this.lowWaiters[i]!
      if (this.size < waiter.below || this.closed) {
        this.lowWaiters.splice(i, 1)
        waiter.resolve()
      }
    }
  }
}
