/**
 * Queries on one port run one at a time, in arrival order: the next command is written only
 * after the previous one is answered or timed out, so two tools never get each other's reply.
 */
export class QueryTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no reply within ${timeoutMs} ms`)
  }
}

interface Job<F> {
  write: () => Promise<unknown>
  timeoutMs: number
  resolve: (frame: F) => void
  reject: (error: Error) => void
}

export class QueryQueue<F> {
  private readonly waiting: Job<F>[] = []
  private active: { job: Job<F>; timer: NodeJS.Timeout | null } | null = null

  /** `write` sends the command; the next frame read after it starts is the reply. */
  ask(write: () => Promise<unknown>, timeoutMs: number): Promise<F> {
    return new Promise<F>((resolve, reject) => {
      this.waiting.push({ write, timeoutMs, resolve, reject })
      if (!this.active) this.next()
    })
  }

  /** Offers a frame read from the port; returns true when it answered a query. */
  offer(frame: F): boolean {
    const active = this.active
    if (!active || active.timer === null) return false
    this.finish(() => active.job.resolve(frame))
    return true
  }

  /** Fails every query, queued or in progress (the port closed). */
  failAll(error: Error): void {
    const jobs = this.waiting.splice(0)
    if (this.active) {
      if (this.active.timer) clearTimeout(this.active.timer)
      jobs.unshift(this.active.job)
      this.active = null
    }
    for (const job of jobs) job.reject(error)
  }

  get length(): number {
    return this.waiting.length + (this.active ? 1 : 0)
  }

  private next(): void {
    const job = this.waiting.shift()
    if (!job) return
    const active: { job: Job<F>; timer: NodeJS.Timeout | null } = { job, timer: null }
    this.active = active
    // Armed before the write goes out, so an instant answer is not missed.
    active.timer = setTimeout(
      () => this.finish(() => job.reject(new QueryTimeoutError(job.timeoutMs))),
      job.timeoutMs,
    )
    job.write().catch((error: Error) => {
      if (this.active === active) this.finish(() => job.reject(error))
    })
  }

  private finish(settle: () => void): void {
    if (this.active?.timer) clearTimeout(this.active.timer)
    this.active = null
    settle()
    this.next()
  }
}
