import { BusyError, OwnerGoneError } from './queue-errors'

/**
 * Queries on one port run one at a time, in arrival order: the next command is written only
 * after the previous one is answered or timed out, so two tools never get each other's reply.
 */
export class QueryTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no reply within ${timeoutMs} ms`)
  }
}

/** Sends the command; `signal` aborts it when the query ends before the command has left. */
export type QueryWrite = (signal: AbortSignal) => Promise<unknown>

interface Job<F> {
  write: QueryWrite
  timeoutMs: number
  owner: object | null
  resolve: (frame: F) => void
  reject: (error: Error) => void
}

interface Active<F> {
  job: Job<F>
  timer: NodeJS.Timeout | null
  abort: AbortController
}

export class QueryQueue<F> {
  private readonly waiting: Job<F>[] = []
  private active: Active<F> | null = null

  /** `maxQueued` bounds the queries waiting or in progress on this port. */
  constructor(private readonly maxQueued: () => number = () => Infinity) {}

  /** `write` sends the command; the next frame read after it starts is the reply. */
  ask(write: QueryWrite, timeoutMs: number, owner: object | null = null): Promise<F> {
    const max = this.maxQueued()
    if (this.length >= max)
      return Promise.reject(new BusyError(`${max} queries are already waiting on this port`))
    return new Promise<F>((resolve, reject) => {
      this.waiting.push({ write, timeoutMs, owner, resolve, reject })
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

  /**
   * Drops the queries `owner` left waiting. One already in progress keeps its turn until its
   * reply or timeout (if its command has left, the reply must not answer the next query);
   * the owner's writes are dropped by the write queue, that query's command among them.
   */
  cancelOwner(owner: object): void {
    const error = new OwnerGoneError()
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const job = this.waiting[i]!
      if (job.owner !== owner) continue
      this.waiting.splice(i, 1)
      job.reject(error)
    }
  }

  /** Fails every query, queued or in progress (the port closed). */
  failAll(error: Error): void {
    const jobs = this.waiting.splice(0)
    if (this.active) {
      if (this.active.timer) clearTimeout(this.active.timer)
      this.active.abort.abort(error)
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
    const active: Active<F> = { job, timer: null, abort: new AbortController() }
    this.active = active
    // Armed before the write goes out, so an instant answer is not missed.
    active.timer = setTimeout(() => {
      const error = new QueryTimeoutError(job.timeoutMs)
      // A command still waiting to be written is not sent after its query gave up.
      active.abort.abort(error)
      this.finish(() => job.reject(error))
    }, job.timeoutMs)
    job.write(active.abort.signal).catch((error: Error) => {
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
