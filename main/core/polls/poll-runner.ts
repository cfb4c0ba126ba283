import type { PollInfo, PollStats } from '../../../common/protocol'
import type { PollSettings } from '../../../common/polls/poll-settings'
import { replyRule } from '../protocol/reply-rule'
import { encodeWrite } from '../protocol/write-payload'
import type { PortController } from '../serial/port-controller'
import { QueryTimeoutError, type ReplyRule } from '../serial/query-queue'
import { BusyError } from '../serial/queue-errors'
import type { RxFrame } from '../serial/rx-frame'
import { PollSchedule } from './poll-schedule'

export interface PollRunnerDeps {
  port(): PortController | undefined
  /** Monotonic milliseconds, for the schedule and round trips. */
  clock(): number
}

/**
 * One poll on one port: while the port is open, its command goes through the port's query queue
 * on each tick of its schedule. A tick whose previous reply is still outstanding is skipped, so
 * a slow instrument never builds a queue.
 */
export class PollRunner {
  readonly stats: PollStats = {
    sent: 0,
    answered: 0,
    timeouts: 0,
    skipped: 0,
    lastReplyAt: null,
    lastRoundTripMs: null,
  }
  private schedule: PollSchedule | null = null
  private timer: NodeJS.Timeout | null = null
  private outstanding: Promise<void> | null = null
  private stopped = false
  private readonly rule: ReplyRule<RxFrame>

  constructor(
    readonly settings: PollSettings,
    /** `settings`, or the id of the client that started it. */
    readonly owner: string,
    private readonly deps: PollRunnerDeps,
  ) {
    // The settings schema has compiled `expect` already.
    const rule = replyRule({ expect: settings.expect })
    this.rule = rule.ok ? rule.value : {}
  }

  get name(): string {
    return this.settings.name
  }

  /** The port is open: the schedule starts now; its first tick is one interval later. */
  resume(): void {
    if (this.stopped || this.schedule) return
    this.schedule = new PollSchedule(this.deps.clock(), this.settings.intervalMs)
    this.timer = setTimeout(this.tick, this.settings.intervalMs)
  }

  /** The port is not open: no ticks (and none counted) until it is again. */
  pause(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.schedule = null
  }

  /** Resolves once nothing more of it is on the line: its last question answered or given up. */
  async stop(): Promise<void> {
    this.stopped = true
    this.pause()
    // A question still waiting for its turn is dropped, never written.
    this.deps.port()?.cancelOwner(this)
    await this.outstanding
  }

  info(): PollInfo {
    return { ...this.settings, owner: this.owner, stats: { ...this.stats } }
  }

  private readonly tick = (): void => {
    this.timer = null
    const schedule = this.schedule
    if (!schedule) return
    const due = schedule.due(this.deps.clock())
    if (due) {
      this.stats.skipped += due.missed
      if (this.outstanding) this.stats.skipped += 1
      else this.ask()
    }
    if (this.schedule === schedule)
      this.timer = setTimeout(this.tick, schedule.delayToNext(this.deps.clock()))
  }

  private ask(): void {
    const port = this.deps.port()
    if (!port || port.state !== 'open') return
    const bytes = encodeWrite(this.settings.command, this.settings.encoding, port.settings)
    if (!bytes.ok) {
      this.stats.skipped += 1
      return
    }
    let startedAt = 0
    let repliedAt = 0
    const asked = port.query(bytes.value, this.settings.timeoutMs, this, {
      ...this.rule,
      started: () => {
        startedAt = this.deps.clock()
        this.stats.sent += 1
      },
      // Synchronous, before the frame goes to any client: it leaves tagged with the poll.
      taken: (frame) => {
        repliedAt = this.deps.clock()
        if (!this.stopped) frame.poll = this.settings.name
      },
    })
    this.outstanding = asked.then(
      (frames) => {
        this.stats.answered += 1
        this.stats.lastReplyAt = new Date(frames[0]!.ts).toISOString()
        this.stats.lastRoundTripMs = Math.round((repliedAt - startedAt) * 10) / 10
      },
      (error: unknown) => {
        if (error instanceof QueryTimeoutError) this.stats.timeouts += 1
        else if (error instanceof BusyError) this.stats.skipped += 1
        // Otherwise the port closed (the poll pauses) or the poll was stopped.
      },
    )
    void this.outstanding.finally(() => {
      this.outstanding = null
    })
  }
}
