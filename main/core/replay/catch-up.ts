import { CloseCode } from '../../../common/protocol'
import type { ReplayTarget } from '../capability'
import type { ReplayRing } from './replay-ring'

export interface CatchUpTiming {
  /** Frames sent per turn of the event loop, so that other clients and ports go on meanwhile. */
  batch: number
  /** How long to wait before looking again at a client whose buffer is full. */
  retryMs: number
  /** A client whose buffer stays full this long is closed with 1013, as a lagging client is. */
  maxStallMs: number
  now(): number
}

/**
 * Replays one port to one resuming client, from the ring, at the pace the client takes it:
 * frames go while its buffer is below half the limit (so none is dropped), and the rest waits
 * in the ring, not in memory of its own. Frames the ring loses before they are sent become a
 * `gap` naming them. Once the replay has sent the ring's newest frame the port goes live, in
 * the same turn of the event loop, so the next frame the port reads is the next one it gets.
 */
export class CatchUp {
  private cancelWait: (() => void) | null = null
  private stalledSince: number | null = null
  private stopped = false

  constructor(
    private readonly client: ReplayTarget,
    readonly port: string,
    private readonly ring: ReplayRing,
    private next: number,
    private readonly timing: CatchUpTiming,
    private readonly finished: (catchUp: CatchUp) => void,
  ) {}

  /** Runs the first batch now. */
  start(): void {
    this.step()
  }

  /** Stops without going live (the client left, unsubscribed, or resumed the port again). */
  stop(): void {
    this.stopped = true
    this.cancelWait?.()
    this.cancelWait = null
  }

  private step(): void {
    this.cancelWait = null
    if (this.stopped) return
    if (!this.client.receives(this.port)) return this.finish()
    const { client, ring, port } = this
    for (let sent = 0; sent < this.timing.batch;) {
      if (this.next > ring.lastSeq) return this.finish()
      const oldest = ring.oldestSeq ?? ring.lastSeq + 1
      if (this.next < oldest) {
        client.send({ type: 'gap', port, from: this.next, to: oldest - 1 })
        this.next = oldest
        continue
      }
      if (client.bufferedAmount > client.bufferLimit / 2) return this.stall()
      this.stalledSince = null
      const frame = ring.get(this.next)
      if (frame) client.sendFrame(frame)
      else client.send({ type: 'gap', port, from: this.next, to: this.next })
      this.next += 1
      sent += 1
    }
    this.soon()
  }

  private stall(): void {
    const now = this.timing.now()
    if (this.stalledSince === null) {
      // Most often the buffer is only this turn's corked frames, sent when the turn ends.
      this.stalledSince = now
      return this.soon()
    }
    if (now - this.stalledSince >= this.timing.maxStallMs) {
      const waited = `${this.timing.maxStallMs / 1000} s`
      this.client.close(CloseCode.tryAgainLater, `client too slow: the replay waited ${waited}`)
      return this.finish()
    }
    const timer = setTimeout(() => this.step(), this.timing.retryMs)
    this.cancelWait = () => clearTimeout(timer)
  }

  /** The next turn of the event loop, after this turn's frames have gone to the socket. */
  private soon(): void {
    const immediate = setImmediate(() => this.step())
    this.cancelWait = () => clearImmediate(immediate)
  }

  /** Done, or no longer wanted: either way its live frames are no longer held back. */
  private finish(): void {
    this.stop()
    this.client.goLive(this.port)
    this.finished(this)
  }
}
