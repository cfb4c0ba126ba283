import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import type { OpenOptions } from '@serialport/bindings-interface'
import type { ReplayStatus } from '../../../common/protocol'
import type { ReplaySettings } from '../../../common/settings-schema'
import { SimulatedPort } from '../serial/simulated-port'
import { recordBytes } from './record-format'
import { emptyStats, readFrames } from './recording-reader'

export interface ReplayOptions {
  /** The recording, absolute. */
  path: string
  /** As the setting names it, for the status. */
  file: string
  speed: ReplaySettings['speed']
  loop: boolean
  writes: ReplaySettings['writes']
  /** Appended to each frame so the port's delimiter framing cuts the same frames again. */
  delimiter: Buffer | null
  /** Played to the end, or the bad lines are counted. */
  changed(): void
  log(line: string): void
}

/** At "max" speed the file is read ahead at most this far of what the port has taken. */
const MAX_AHEAD_BYTES = 1024 * 1024

/**
 * Opens a recording for `sim:replay`. Fails with a sentence when it cannot be read; the words
 * avoid those the port's error wording takes for a missing or busy device (so no retries).
 */
export async function openReplay(options: OpenOptions, replay: ReplayOptions): Promise<ReplayPort> {
  const info = await stat(replay.path).catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      error.code === 'ENOENT' || error.code === 'ENOTDIR'
        ? `the replay file ${replay.path} does not exist`
        : `the replay file ${replay.path} cannot be read (${error.code ?? error.message})`,
    )
  })
  if (!info.isFile()) throw new Error(`the replay file ${replay.path} is a folder, not a recording`)
  await access(replay.path, constants.R_OK).catch(() => {
    throw new Error(`the replay file ${replay.path} cannot be read: check its access rights`)
  })
  return new ReplayPort(options, replay)
}

/**
 * A simulated device that sends a recording's received frames again, with their original
 * spacing divided by `speed`, through the same serialport stack as any port. Sent records
 * are not played; what a client writes is echoed back or ignored.
 */
export class ReplayPort extends SimulatedPort {
  private played = 0
  private badLines = 0
  private finished = false
  private wake: (() => void) | null = null
  private timer: NodeJS.Timeout | null = null

  constructor(
    options: OpenOptions,
    private readonly replay: ReplayOptions,
  ) {
    super(options)
    void this.play().catch((error: unknown) => {
      replay.log(`replay of ${replay.path} stopped: ${(error as Error).message}`)
      this.finish()
    })
  }

  status(): ReplayStatus {
    const { file } = this.replay
    return { file, played: this.played, badLines: this.badLines, finished: this.finished }
  }

  private async play(): Promise<void> {
    for (let pass = 1; this.isOpen; pass++) {
      const stats = emptyStats()
      let first = NaN
      let started = 0
      let playedThisPass = 0
      for await (const record of readFrames(this.replay.path, stats, 'rx')) {
        if (!this.isOpen) return
        const ts = Date.parse(record.ts)
        if (Number.isNaN(first)) {
          first = ts
          started = performance.now()
        }
        const { speed } = this.replay
        if (speed === 'max') await this.queue.whenBelow(MAX_AHEAD_BYTES)
        else await this.sleepUntil(started + (ts - first) / speed)
        if (!this.isOpen) return
        const bytes = recordBytes(record)
        const { delimiter } = this.replay
        this.queue.push(delimiter ? Buffer.concat([bytes, delimiter]) : bytes)
        this.played += 1
        playedThisPass += 1
      }
      if (pass === 1) {
        this.badLines = stats.badLines
        if (stats.badLines > 0) this.replay.changed()
      }
      if (!this.replay.loop || playedThisPass === 0) break
    }
    this.finish()
  }

  private finish(): void {
    if (this.finished || !this.isOpen) return
    this.finished = true
    this.replay.changed()
  }

  private sleepUntil(at: number): Promise<void> {
    const wait = at - performance.now()
    if (wait <= 0) return Promise.resolve()
    return new Promise((resolve) => {
      this.wake = resolve
      this.timer = setTimeout(resolve, wait)
    })
  }

  async write(data: Buffer): Promise<void> {
    if (!this.isOpen) throw new Error('Port is not open')
    if (this.replay.writes === 'echo') this.queue.push(Buffer.from(data))
  }

  protected stopped(): void {
    if (this.timer) clearTimeout(this.timer)
    this.wake?.()
  }
}
