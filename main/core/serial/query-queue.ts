import { BusyError, OwnerGoneError } from './queue-errors'

/**
 * Queries on one port run one at a time, in arrival order: the next command is written only
 * after the previous one is answered or timed out, so two tools never get each other's reply.
 */
export class QueryTimeoutError extends Error {
  constructor(timeoutMs: number, detail = 'no reply') {
    super(`${detail} within ${timeoutMs} ms`)
  }
}

/** Which frames make a query's reply; by default, the next frame read. */
export interface ReplyRule<F> {
  /** Whether a frame can be the reply's first (`expect`); others flow on as data only. */
  starts?(frame: F): boolean
  /** How many frames make the reply (`expectLines`); 1 by default. */
  lines?: number
  /** Each frame of the reply as it is taken, before it goes anywhere else (a poll tags it). */
  taken?(frame: F): void
  /** The query's turn has come: its command is being written now. */
  started?(): void
  /** Says what was awaited, for the timeout's message: `no reply matching "^V="`. */
  awaited?: string
}

/** Sends the command; `signal` aborts it when the query ends before the command has left. */
export type QueryWrite = (signal: AbortSignal) => Promise<unknown>

interface Job<F> {
  write: QueryWrite
  timeoutMs: number
  owner: object | null
  rule: ReplyRule<F>
  resolve: (frames: F[]) => void
  reject: (error: Error) => void
}

interface Active<F> {
  job: Job<F>
  timer: NodeJS.Timeout | null
  abort: AbortController
  frames: F[]
}

export class QueryQueue<F> {
  private readonly waiting: Job<F>[] = []
  private active: Active<F> | null = null

  /** `maxQueued` bounds the queries waiting or in progress on this port. */
  constructor(private readonly maxQueued: () => number = () => Infinity) {}

  /**
   * `write` sends the command; the frames read after it starts make the reply, as `rule` says
   * (by default the next frame).
   */
  ask(
    write: QueryWrite,
    timeoutMs: number,
    owner: object | null = null,
    rule: ReplyRule<F> = {},
  ): Promise<F[]> {
    const max = this.maxQueued()
    if (this.length >= max)
      return Promise.reject(new BusyError(`${max} queries are already waiting on this port`))
    return new Promise<F[]>((resolve, reject) => {
      this.waiting.push({ write, timeoutMs, owner, rule, resolve, reject })
      if (!this.active) this.next()
    })
  }

  /** Offers a frame read from the port; returns true when it is (part of) a query's reply. */
  offer(frame: F): boolean {
    const active = this.active
    if (!active || active.timer === null) return false
    const { rule } = active.job
    if (active.frames.length === 0 && rule.starts && !rule.starts(frame)) return false
    active.frames.push(frame)
    rule.taken?.(frame)
    if (active.frames.length >= (rule.lines ?? 1)) {
      this.finish(() => active.job.resolve(active.frames))
    }
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
    const active: Active<F> = { job, timer: null, abort: new AbortController(), frames: [] }
    this.active = active
    // Armed before the write goes out, so an instant answer is not missed.
    active.timer = setTimeout(() => {
      const error = new QueryTimeoutError(job.timeoutMs, timeoutDetail(job.rule, active.frames))
      // A command still waiting to be written is not sent after its query gave up.
      active.abort.abort(error)
      this.finish(() => job.reject(error))
    }, job.timeoutMs)
    job.rule.started?.()
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

function timeoutDetail<F>(rule: ReplyRule<F>, frames: F[]): string {
  const lines = rule.lines ?? 1
  if (frames.length > 0) return `only ${frames.length} of ${lines} lines`
  return rule.awaited ?? 'no reply'
}
