import { join } from 'node:path'
import type { RecordingStatus } from '../../../common/protocol'
import type { RxFrame } from '../serial/rx-frame'
import { PartialWriteError, type AppendFile } from './append-file'
import { localDay } from './file-names'
import { newRecordingFile } from './new-recording-file'
import { RecordBuffer } from './record-buffer'
import { FORMAT_VERSION, RecordFormatter, type EventName } from './record-format'
import { portFolderName, relativeName } from './recording-paths'
import { classifyWriteError, describeWriteError, writeError } from './write-errors'

export interface RecorderOptions {
  port: string
  /** The recordings folder (absolute). */
  root: string
  rotateBytes: number
  rotateDaily: boolean
  /** Why recording starts, for the first file's `start` line. */
  reason: string
  /** What the `start` line of each file says about the port (path, state). */
  describe(): Record<string, unknown>
  now(): number
  /** State, error or file changed: announce the port's status. */
  changed(): void
  /** A file is complete (rotated or stopped): retention may look at the folder. */
  finished?(path: string): void
  /** Formatted bytes that may wait unwritten before frames are dropped. */
  bufferBytes?: number
  flushMs?: number
  retryMs?: number
}

const MiB = 1024 * 1024
/** Written at least this often, then synced to the disk: what a power cut can lose. */
export const FLUSH_MS = 250
const RETRY_MS = 1000
/** Formatting works in slices this big, so the serial side never waits long for it. */
const CHUNK_BYTES = 256 * 1024
/** Write without waiting for the next flush once this much is waiting. */
const EAGER_BYTES = 64 * 1024
const REMOVED_CHECK_MS = 1000
/** The `stop` line a file ends with fits in what is kept free below `rotateBytes`. */
const STOP_LINE_ROOM = 512
export const BUFFER_BYTES = 16 * MiB

/** A chunk that did not reach the file whole: the rest and the frames it carries. */
class ChunkError extends Error {
  constructor(
    readonly reason: unknown,
    readonly rest: Buffer,
    readonly frames: number,
  ) {
    super((reason as Error)?.message ?? String(reason))
  }
}

/**
 * One port's recording: frames wait in its own bounded buffer, are formatted and appended in
 * slices off the serial path, flushed and synced every 250 ms, rotated by size and day. A
 * failed write sets `error` and is retried every second; writing resumes with a `gap` line.
 * Everything runs as one queue of jobs, so file operations never overlap.
 */
export class PortRecorder {
  private readonly formatter: RecordFormatter
  private readonly buffer: RecordBuffer
  private readonly folder: string
  private readonly since: number
  private file: AppendFile | null = null
  private fileDay = 0
  private fileFrames = 0
  private dirty = false
  private stuck: { rest: Buffer; frames: number } | null = null
  private outage: { since: number; error: string; dropped: number } | null = null
  private errorText: string | undefined
  private frames = 0
  private dropped = 0
  private opened = false
  private stopped = false
  private job: Promise<void> = Promise.resolve()
  private readonly opening: Promise<void>
  private drainQueued = false
  private tickQueued = false
  private lastRemovedCheck = 0
  private readonly tick: NodeJS.Timeout
  private retry: NodeJS.Timeout | null = null

  constructor(private readonly opts: RecorderOptions) {
    this.formatter = new RecordFormatter(opts.port)
    this.folder = join(opts.root, portFolderName(opts.port))
    this.since = opts.now()
    this.buffer = new RecordBuffer(opts.bufferBytes ?? BUFFER_BYTES, CHUNK_BYTES, (dropped) =>
      this.formatter.event(this.opts.now(), 'gap', {
        dropped,
        reason: 'the recorder fell behind the port (disk too slow)',
      }),
    )
    this.tick = setInterval(() => this.onTick(), opts.flushMs ?? FLUSH_MS)
    this.tick.unref()
    this.enqueueDrain()
    this.opening = this.job
  }

  /** Resolves once the first file is open, or opening it failed (then the status says why). */
  ready(): Promise<void> {
    return this.opening
  }

  /** On the serial path: formats the frame into the buffer, or counts it dropped. */
  pushRx(frame: RxFrame): void {
    const out = this.buffer.reserve(frame.ts, true)
    if (!out) return void (this.dropped += 1)
    this.formatter.writeRx(frame, out)
    this.buffer.commit(true)
    if (this.buffer.bytes >= EAGER_BYTES) this.enqueueDrain()
  }

  pushTx(bytes: Buffer, ts: number, seq: number): void {
    const out = this.buffer.reserve(ts, true)
    if (!out) return void (this.dropped += 1)
    this.formatter.writeTx(bytes, ts, seq, out)
    this.buffer.commit(true)
    if (this.buffer.bytes >= EAGER_BYTES) this.enqueueDrain()
  }

  event(event: EventName, fields: Record<string, unknown> = {}): void {
    const ts = this.opts.now()
    const out = this.buffer.reserve(ts, false)
    if (!out) return
    out.utf8(this.formatter.event(ts, event, fields))
    this.buffer.commit(false)
  }

  status(): RecordingStatus {
    return {
      state: this.errorText === undefined ? 'recording' : 'error',
      ...(this.errorText !== undefined ? { error: this.errorText } : {}),
      file: this.file ? relativeName(this.opts.root, this.file.path) : null,
      bytes: this.file?.bytes ?? 0,
      frames: this.frames,
      since: new Date(this.since).toISOString(),
      dropped: this.dropped,
    }
  }

  /** The file being written (absolute path), if any, with what is in it so far. */
  currentFile(): { path: string; frames: number; bytes: number } | null {
    const file = this.file
    return file ? { path: file.path, frames: this.fileFrames, bytes: file.bytes } : null
  }

  /** Writes what is waiting, ends the file with a `stop` line, syncs and closes it. */
  async stop(reason: string): Promise<void> {
    if (this.stopped) return this.job
    this.stopped = true
    clearInterval(this.tick)
    if (this.retry) clearTimeout(this.retry)
    this.enqueue(async () => {
      let drained = true
      try {
        await this.drain(true)
      } catch (error) {
        drained = false
        this.fail(error)
      }
      const file = this.file
      if (!file) return
      this.file = null
      const line = this.formatter.event(this.opts.now(), 'stop', {
        reason,
        frames: this.fileFrames,
        dropped: this.dropped,
      })
      try {
        if (drained) {
          await file.write(Buffer.from(line))
          await file.sync()
        }
      } finally {
        await file.close()
        this.opts.finished?.(file.path)
      }
    })
    return this.job
  }

  private enqueue(job: () => Promise<void>): void {
    this.job = this.job.then(job).catch((error: unknown) => this.fail(error))
  }

  private enqueueDrain(): void {
    if (this.drainQueued || this.stopped) return
    this.drainQueued = true
    this.enqueue(async () => {
      this.drainQueued = false
      await this.drain(false)
    })
  }

  private onTick(): void {
    if (this.tickQueued || this.errorText !== undefined) return
    this.tickQueued = true
    const now = this.opts.now()
    const checkRemoved = now - this.lastRemovedCheck >= REMOVED_CHECK_MS
    if (checkRemoved) this.lastRemovedCheck = now
    this.enqueue(async () => {
      this.tickQueued = false
      await this.drain(false)
      const file = this.file
      if (!file || this.errorText !== undefined) return
      if (checkRemoved && (await file.removed())) {
        throw writeError('ENOENT', 'the recording file was deleted')
      }
      if (this.dirty) {
        this.dirty = false
        await file.datasync()
      }
    })
  }

  /** Writes everything waiting. While in error only a retry (or the stop) tries again. */
  private async drain(recovering: boolean): Promise<void> {
    if (this.errorText !== undefined && !recovering) return
    for (;;) {
      if (!this.file) await this.openFile(this.opened ? 'resumed' : this.opts.reason)
      if (this.stuck) {
        const { rest, frames } = this.stuck
        this.stuck = null
        await this.writeChunk(rest, frames)
      }
      if (this.outage) {
        this.resumed()
        continue
      }
      const chunk = this.buffer.take()
      if (!chunk) return
      if (this.shouldRotate(chunk.data.length, chunk.day)) await this.rotate()
      await this.writeChunk(chunk.data, chunk.frames)
    }
  }

  private resumed(): void {
    const outage = this.outage!
    this.outage = null
    this.errorText = undefined
    const now = this.opts.now()
    // Goes in the file ahead of the frames that waited meanwhile.
    const gap = this.formatter.event(now, 'gap', {
      from: new Date(outage.since).toISOString(),
      to: new Date(now).toISOString(),
      error: outage.error,
      dropped: outage.dropped,
    })
    this.stuck = { rest: Buffer.from(gap), frames: 0 }
    this.opts.changed()
  }

  private shouldRotate(bytes: number, day: number): boolean {
    if (!this.file || this.fileFrames === 0) return false
    const full = this.file.bytes + bytes + STOP_LINE_ROOM > this.opts.rotateBytes
    return full || (this.opts.rotateDaily && day !== this.fileDay)
  }

  private async writeChunk(data: Buffer, frames: number): Promise<void> {
    try {
      await this.file!.write(data)
    } catch (error) {
      const written = error instanceof PartialWriteError ? error.written : 0
      const reason = error instanceof PartialWriteError ? error.reason : error
      throw new ChunkError(reason, data.subarray(written), frames)
    }
    this.dirty = true
    this.frames += frames
    this.fileFrames += frames
  }

  private async openFile(reason: string): Promise<void> {
    const now = this.opts.now()
    this.file = await newRecordingFile(this.opts.root, this.folder, now, !this.opened)
    this.opened = true
    this.fileDay = localDay(now)
    this.fileFrames = 0
    const start = this.formatter.event(now, 'start', {
      format: FORMAT_VERSION,
      reason,
      ...this.opts.describe(),
    })
    await this.writeChunk(Buffer.from(start), 0)
    this.opts.changed()
  }

  private async rotate(): Promise<void> {
    const old = this.file!
    const stop = this.formatter.event(this.opts.now(), 'stop', {
      reason: 'rotated',
      frames: this.fileFrames,
    })
    await this.writeChunk(Buffer.from(stop), 0)
    await old.sync()
    this.file = null
    await old.close()
    this.opts.finished?.(old.path)
    await this.openFile('rotated')
  }

  private fail(error: unknown): void {
    const cause = error instanceof ChunkError ? error.reason : error
    const text = describeWriteError(cause, this.folder)
    let lost = 0
    if (error instanceof ChunkError) {
      // A full disk keeps the file: the rest of the slice goes in once there is room again.
      if (classifyWriteError(cause) === 'full' && this.file) {
        this.stuck = { rest: error.rest, frames: error.frames }
      } else lost = error.frames
    }
    if (!this.stuck && this.file) {
      const file = this.file
      this.file = null
      void file.close().catch(() => undefined)
    }
    this.dropped += lost
    this.outage ??= { since: this.opts.now(), error: text, dropped: 0 }
    this.outage.dropped += lost
    if (this.stopped) return
    const changed = this.errorText !== text
    this.errorText = text
    if (changed) this.opts.changed()
    if (this.retry) return
    this.retry = setTimeout(() => {
      this.retry = null
      this.enqueue(() => this.drain(true))
    }, this.opts.retryMs ?? RETRY_MS)
    this.retry.unref()
  }
}
