import type { HistogramData } from './latency-histogram'

/** What the orchestrator asks of its child processes over IPC; each child implements one of these. */

export interface StreamResult {
  startNs: number
  endNs: number
  lines: number
  bytes: number
}

export interface CommandStats {
  received: number
  intact: number
  corrupt: number
  outOfOrder: number
  duplicates: number
  latency: HistogramData
}

export interface InstrumentApi {
  open(args: { path: string }): Promise<void>
  /**
   * ratePerSec 0: as fast as the pty takes them. Lines are numbered from `firstSeq` (0).
   * `values`: four-channel readings (`valuesLine`) instead of stamped lines; lineBytes unused.
   */
  stream(args: {
    count: number
    ratePerSec: number
    lineBytes: number
    firstSeq?: number
    values?: boolean
  }): Promise<StreamResult>
  /** Writes probe lines every intervalMs (at most max of them) until stopProbe. */
  probe(args: { intervalMs: number; max: number }): Promise<void>
  stopProbe(args: Record<string, never>): Promise<{ sent: number }>
  /** Starts counting commands afresh. */
  collect(args: Record<string, never>): Promise<void>
  commands(args: Record<string, never>): Promise<CommandStats>
  answers(args: Record<string, never>): Promise<{ answered: number; delay: HistogramData }>
  /** Asks `count` queries one after another on its own port and times each answer. */
  ask(args: { count: number }): Promise<{ latency: HistogramData }>
  /** From now on, times the arrival of every query whose tag starts with `prefix` (S10's polls). */
  recordArrivals(args: { prefix: string }): Promise<void>
  /** The arrival times (ns) recorded per tag; recording stops. */
  arrivals(args: Record<string, never>): Promise<Record<string, number[]>>
}

export interface BarePollerApi {
  /**
   * A program with the port to itself: `polls` schedules of `intervalMs` for `seconds`, each
   * writing `Q <tag> 0 0` on its ticks (tags `poll0`, `poll1`, ...), one question at a time.
   */
  run(args: { path: string; polls: number; intervalMs: number; seconds: number }): Promise<{
    sent: number
    skipped: number
  }>
}

export interface ClientReport {
  unique: number
  outOfOrder: number
  duplicates: number
  bytes: number
  lastNs: number
  laggedMessages: number
  droppedReported: number
  closeCode: number | null
  paused: boolean
}

export interface QueryResult {
  latency: HistogramData
  answered: number
  misrouted: number
  timeouts: number
  errors: number
}

export interface ClientPoolApi {
  connect(args: {
    url: string
    count: number
    concurrency: number
  }): Promise<{ opened: number; failed: number; firstError: string | null }>
  /** Starts tracking data lines 0..expected-1 afresh on every client. */
  track(args: { expected: number }): Promise<void>
  progress(args: Record<string, never>): Promise<{ unique: number[]; closed: number }>
  /** Starts the latency histogram afresh, keeping what each client has seen (a new phase). */
  resetLatency(args: Record<string, never>): Promise<void>
  /** Latencies of clients never paused; the paused ones are reported per client only. */
  report(args: Record<string, never>): Promise<{ latency: HistogramData; clients: ClientReport[] }>
  pause(args: { index: number }): Promise<void>
  resume(args: { index: number }): Promise<void>
  /** Clock at the first text frame any client receives after this call. */
  awaitFrame(args: { timeoutMs: number }): Promise<{ atNs: number }>
  /** ratePerSec 0: a burst, all sent at once. */
  send(args: {
    index: number
    count: number
    ratePerSec: number
  }): Promise<{ startNs: number; endNs: number }>
  /**
   * Every client runs `perClient` queries one after another, all clients at once. `control`:
   * protocol v1 `query` on /ws; `stream`: a plain line on the port stream, answer picked out by content.
   */
  query(args: {
    via: 'control' | 'stream'
    port: string
    perClient: number
    timeoutMs: number
  }): Promise<QueryResult>
  closeAll(args: Record<string, never>): Promise<void>
}

/** S13's collector: an MQTT client subscribed to one topic. */
export interface MqttSubscriberApi {
  connect(args: { url: string; topic: string; username: string; password: string }): Promise<void>
  track(args: { expected: number }): Promise<void>
  awaitFrame(args: { timeoutMs: number }): Promise<void>
  progress(args: Record<string, never>): Promise<{ unique: number }>
  report(args: Record<string, never>): Promise<{
    latency: HistogramData
    unique: number
    outOfOrder: number
    duplicates: number
  }>
}

/** S12's client, cut and connected again on a schedule. */
export interface ResumeClientApi {
  /**
   * Connects and starts cutting: every `cutEveryMs` the socket is destroyed, and `outageMs`
   * later opened again. `resume`: /ws with `since` and `epoch`; `reconnect`: the port stream
   * again, with nothing to ask for (the bare pipeline has no resume).
   */
  start(args: {
    url: string
    port: string
    mode: 'resume' | 'reconnect'
    expected: number
    cutEveryMs: number
    outageMs: number
  }): Promise<void>
  progress(args: Record<string, never>): Promise<{ unique: number }>
  /** No more cuts: the lines have all been sent. */
  calm(args: Record<string, never>): Promise<void>
  /** Stops cutting and closes; what it saw. */
  stop(args: Record<string, never>): Promise<ResumeReport>
}

export interface ResumeReport {
  unique: number
  /** The first lines (by their number) that never arrived, at most 10. */
  firstMissing: number[]
  duplicates: number
  outOfOrder: number
  cuts: number
  /** `gap` messages, and the frames they named. */
  gaps: number
  gapFrames: number
  /** Lines read while the client was away (replayed, for a resume). */
  replayed: HistogramData
  /** Lines read in the first moments after it was back (they queue behind the replay). */
  afterResume: HistogramData
  /** Every other line. */
  steady: HistogramData
  /** From the cut to the subscription confirmed again (the outage included). */
  reconnect: HistogramData
  /** From being back to the last line read while away having arrived: the replay, per cut. */
  catchUp: HistogramData
}
