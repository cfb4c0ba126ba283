import type { SerialPortStream } from '@serialport/stream'
import type { BindingInterface } from '@serialport/bindings-interface'
import { notOpenMessage } from '../../../common/not-open'
import type { PortInfo, PortState } from '../../../common/protocol'
import type { PortSettings } from '../../../common/settings-schema'
import { createFrameDecoder, type DecodedFrame } from './frame-decoder'
import { describePortError } from './port-errors'
import { PortMetricsCounter } from './port-metrics'
import { QueryQueue, type ReplyRule } from './query-queue'
import { reopenNeeded } from './reopen-keys'
import { OpenLine } from './open-line'
import { ReconnectTimer } from './reconnect-timer'
import { RxFrame } from './rx-frame'
import { ReleaseTimer } from './release-timer'
import { closeStream, openStream, serialStream } from './serial-line'
import { NO_PORT_LIMITS, type PortLimits } from './port-limits'
import { WriteQueue } from './write-queue'

export interface PortControllerEvents {
  status(info: PortInfo): void
  rx(frame: RxFrame): void
  tx(port: string, bytes: Buffer, ts: number): void
}

export interface PortControllerDeps {
  binding: BindingInterface
  /** Finds the current path of a device matched by serial number; null keeps the configured path. */
  resolvePath?: (settings: PortSettings) => Promise<string | null>
  now?: () => number
  /** The server's bounds on what may wait for one port (read at each request). */
  limits?: () => PortLimits
}

export class PortNotOpenError extends Error {
  constructor(id: string, state: PortState) {
    super(notOpenMessage(id, state))
  }
}

type Result = { ok: true } | { ok: false; error: string }

/** One configured port: its state machine, framing, writes, queries and metrics. */
export class PortController {
  private stateValue: PortState = 'closed'
  private errorText: string | undefined
  private line: OpenLine | null = null
  private wanted = false
  private opening: Promise<Result> | null = null
  private readonly retries = new ReconnectTimer()
  private seq = 0
  private decode: (frame: Uint8Array) => DecodedFrame
  private currentPath: string
  readonly metrics: PortMetricsCounter
  readonly queries: QueryQueue<RxFrame>
  private readonly writes: WriteQueue
  private readonly releaseTimer: ReleaseTimer
  private readonly now: () => number

  constructor(
    private settingsValue: PortSettings,
    private readonly deps: PortControllerDeps,
    private readonly events: PortControllerEvents,
  ) {
    this.now = deps.now ?? Date.now
    const limits = deps.limits ?? (() => NO_PORT_LIMITS)
    this.queries = new QueryQueue(() => limits().maxQueuedQueries)
    this.writes = new WriteQueue(
      () => this.line?.sink ?? null,
      () => ({ maxBytes: limits().maxQueuedWriteBytes, timeoutMs: limits().writeTimeoutMs }),
    )
    this.metrics = new PortMetricsCounter(this.now)
    this.releaseTimer = new ReleaseTimer(this.now)
    this.decode = createFrameDecoder(settingsValue.encoding)
    this.currentPath = settingsValue.path
  }

  get id(): string {
    return this.settingsValue.id
  }

  get state(): PortState {
    return this.stateValue
  }

  get path(): string {
    return this.currentPath
  }

  get settings(): PortSettings {
    return this.settingsValue
  }

  info(): PortInfo {
    return {
      id: this.id,
      path: this.currentPath,
      state: this.stateValue,
      ...(this.errorText ? { error: this.errorText } : {}),
      settings: this.settingsValue,
      metrics: this.metrics.snapshot(),
      ...(this.stateValue === 'released' ? { until: this.releaseTimer.until } : {}),
    }
  }

  /** Opens the port; when it is missing or busy and `reconnect` is on, keeps trying in the background. */
  open(): Promise<Result> {
    this.releaseTimer.cancel()
    this.wanted = true
    if (this.stateValue === 'open') return Promise.resolve({ ok: true })
    if (this.opening) return this.opening
    this.retries.cancel()
    return this.attempt('opening')
  }

  async close(): Promise<void> {
    await this.shutDown(`port "${this.id}" was closed`)
    this.setState('closed', undefined)
  }

  /**
   * Closes the port so that another program can use the device (state `released`); at `until`
   * (epoch ms) it opens again by itself, with the usual retries while the device is busy.
   * `null`: until it is opened. Queries waiting get PORT_NOT_OPEN, as on a close. A port the
   * operator closed is not released (it would open at the end): PortNotOpenError.
   */
  async release(until: number | null): Promise<void> {
    if (!this.wanted && this.stateValue !== 'released')
      throw new PortNotOpenError(this.id, this.stateValue)
    await this.shutDown(`port "${this.id}" was released`)
    this.releaseTimer.set(until, () => void this.open())
    // Always told, also when only `until` changed.
    this.stateValue = 'released'
    this.errorText = undefined
    this.emitStatus()
  }

  /**
   * Applies new settings. The port is closed and reopened only when a setting of the serial line
   * changed (see reopen-keys); a released port stays released.
   */
  async reconfigure(settings: PortSettings): Promise<void> {
    if (!reopenNeeded(this.settingsValue, settings)) {
      // The line stays as it is: its path (maybe found by `match`) and its decoder too.
      this.settingsValue = settings
      return this.emitStatus()
    }
    if (this.stateValue === 'released') {
      this.apply(settings)
      return this.emitStatus()
    }
    const wasWanted = this.wanted
    await this.close()
    this.apply(settings)
    this.emitStatus()
    if (wasWanted) await this.open()
  }

  /**
   * Writes bytes as given, after those queued before them; resolves once the OS has them.
   * Refused, never queued, while not open. `owner` is who asked: `cancelOwner` drops what it
   * left waiting; `signal` drops this write if it has not left yet.
   */
  async write(bytes: Buffer, owner: object | null = null, signal?: AbortSignal): Promise<number> {
    if (this.stateValue !== 'open' || !this.line)
      throw new PortNotOpenError(this.id, this.stateValue)
    await this.writes.push(bytes, owner, signal)
    const ts = this.now()
    this.metrics.sent(bytes.length)
    this.events.tx(this.id, bytes, ts)
    return bytes.length
  }

  /**
   * Writes a command and resolves with its reply: the next frame the port reads, or the frames
   * `rule` picks (`expect`, `expectLines`). Queries on the port take turns (see query-queue).
   */
  query(
    bytes: Buffer,
    timeoutMs: number,
    owner: object | null = null,
    rule: ReplyRule<RxFrame> = {},
  ): Promise<RxFrame[]> {
    if (this.stateValue !== 'open')
      return Promise.reject(new PortNotOpenError(this.id, this.stateValue))
    return this.queries.ask((signal) => this.write(bytes, owner, signal), timeoutMs, owner, rule)
  }

  /** `owner` has gone: what it left waiting is dropped, and none of it is ever written. */
  cancelOwner(owner: object): void {
    this.queries.cancelOwner(owner)
    this.writes.cancelOwner(owner)
  }

  /**
   * The device is gone but the port has not said so: Windows may never send `close` after an
   * unplug, and on Linux a hung-up line can read 0 bytes forever instead of failing.
   */
  deviceGone(): void {
    if (this.stateValue !== 'open' || !this.line) return
    this.line.port.close(
      undefined,
      Object.assign(new Error('device unplugged'), { disconnected: true }),
    )
  }

  private attempt(state: 'opening' | 'reconnecting'): Promise<Result> {
    const run = this.tryOpen(state).finally(() => {
      if (this.opening === run) this.opening = null
    })
    this.opening = run
    return run
  }

  private async tryOpen(state: 'opening' | 'reconnecting'): Promise<Result> {
    this.setState(state, state === 'reconnecting' ? this.errorText : undefined)
    const s = this.settingsValue
    let path = s.path
    try {
      path = (await this.deps.resolvePath?.(s)) ?? s.path
    } catch {
      // Matching is a convenience; the configured path still works.
    }
    this.currentPath = path
    const port = serialStream(this.deps.binding, path, s)
    try {
      await openStream(port)
    } catch (error) {
      const described = describePortError(error, path)
      this.metrics.errors += 1
      if (!this.wanted) return { ok: false, error: described.message }
      const transient = described.kind === 'not-found' || described.kind === 'in-use'
      if (this.settingsValue.reconnect && transient) this.scheduleRetry(described.message)
      else this.setState('error', described.message)
      return { ok: false, error: described.message }
    }
    if (!this.wanted) {
      await closeStream(port)
      return { ok: false, error: `port "${this.id}" was closed while opening` }
    }
    // Modem lines are best effort: a pty or a bare adapter may not have them.
    await new Promise<void>((resolve) => port.set({ dtr: s.dtr, rts: s.rts }, () => resolve()))
    this.attach(port)
    if (state === 'reconnecting') this.metrics.reconnects += 1
    this.retries.reset()
    this.metrics.openSince = this.now()
    this.setState('open', undefined)
    return { ok: true }
  }

  private attach(port: SerialPortStream): void {
    this.line = new OpenLine(port, this.currentPath, this.settingsValue.framing, this.metrics, {
      frame: (bytes) => this.onFrame(bytes),
      closed: (error) => this.onClosed(port, error),
      gone: () => this.deviceGone(),
    })
  }

  private onFrame(bytes: Buffer): void {
    const frame = new RxFrame(this.id, bytes, this.now(), ++this.seq, this.decode(bytes))
    this.metrics.received(bytes.length)
    this.queries.offer(frame)
    this.events.rx(frame)
  }

  private onClosed(
    port: SerialPortStream,
    error: (Error & { disconnected?: boolean }) | undefined,
  ): void {
    if (port !== this.line?.port) return
    const message = describePortError(
      error ?? new Error('device disconnected'),
      this.currentPath,
    ).message
    this.detach(new Error(message))
    if (!this.wanted) return this.setState('closed', undefined)
    this.metrics.errors += 1
    if (this.settingsValue.reconnect) this.scheduleRetry(message)
    else this.setState('error', message)
  }

  private detach(reason: Error): void {
    const line = this.line
    this.line = null
    this.metrics.openSince = null
    line?.detach()
    this.metrics.ended()
    this.queries.failAll(reason)
    // The binding may never call back for a write cut off by an unplug: this fails it.
    this.writes.failAll(reason)
  }

  private scheduleRetry(message: string): void {
    this.retries.cancel()
    this.setState('reconnecting', message)
    this.retries.schedule(() => {
      if (this.wanted) void this.attempt('reconnecting')
    })
  }

  private async shutDown(reason: string): Promise<void> {
    this.wanted = false
    this.retries.cancel()
    this.releaseTimer.cancel()
    await this.opening?.catch(() => undefined)
    const line = this.line
    this.detach(new Error(reason))
    if (line?.port.isOpen) await closeStream(line.port)
  }

  private apply(settings: PortSettings): void {
    this.settingsValue = settings
    this.currentPath = settings.path
    this.decode = createFrameDecoder(settings.encoding)
  }

  private setState(state: PortState, error: string | undefined): void {
    if (this.stateValue === state && this.errorText === error) return
    this.stateValue = state
    this.errorText = error
    this.emitStatus()
  }

  private emitStatus(): void {
    this.events.status(this.info())
  }
}
