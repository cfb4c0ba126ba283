import { FRAME_BATCH_HZ, type FrameBatch, type StreamFrame } from '../../common/contract'
import type { PortFrame } from '../../common/engine-api'

export interface FrameBatcherOptions {
  /** Receives each batch; called at most `hz` times a second. */
  deliver: (batch: FrameBatch) => void
  hz?: number
  /** Frames kept while waiting; older ones are dropped and counted. */
  maxFrames?: number
}

export interface FrameBatcher {
  push(frame: PortFrame): void
  /** Frames waiting for the next batch. */
  readonly size: number
  /** Cancels the pending batch; later pushes are ignored. */
  stop(): void
}

export const DEFAULT_MAX_BATCH_FRAMES = 20_000

/**
 * Collects the engine's per-frame events into batches for a UI (IPC or the admin WebSocket),
 * so a busy port costs the UI ~60 messages a second, not one per line.
 */
export function createFrameBatcher(options: FrameBatcherOptions): FrameBatcher {
  const intervalMs = 1000 / (options.hz ?? FRAME_BATCH_HZ)
  const maxFrames = options.maxFrames ?? DEFAULT_MAX_BATCH_FRAMES
  let frames: PortFrame[] = []
  let dropped = 0
  let lastSent = -Infinity
  let timer: NodeJS.Timeout | null = null
  let stopped = false

  const trim = (): void => {
    if (frames.length <= maxFrames) return
    dropped += frames.length - maxFrames
    frames = frames.slice(-maxFrames)
  }

  const flush = (): void => {
    timer = null
    trim()
    const batch: FrameBatch = { frames: frames.map(toStreamFrame), dropped }
    frames = []
    dropped = 0
    lastSent = performance.now()
    options.deliver(batch)
  }

  return {
    push(frame) {
      if (stopped) return
      frames.push(frame)
      // Trimming in chunks keeps a flood O(1) per frame instead of shifting 20,000 each time.
      if (frames.length >= 2 * maxFrames) trim()
      if (timer) return
      const wait = Math.max(0, lastSent + intervalMs - performance.now())
      timer = setTimeout(flush, wait)
    },
    get size() {
      return Math.min(frames.length, maxFrames)
    },
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = null
      frames = []
      dropped = 0
    },
  }
}

/**
 * Copies the bytes when they are a view on a larger buffer: structured clone (IPC) sends
 * the whole underlying ArrayBuffer, e.g. Node's 8 KiB pool slab for a 5-byte line.
 */
function toStreamFrame(frame: PortFrame): StreamFrame {
  const { bytes } = frame
  const data =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? bytes
      : new Uint8Array(bytes)
  return {
    port: frame.port,
    direction: frame.direction,
    ts: frame.ts,
    data,
    ...(frame.poll !== undefined ? { poll: frame.poll } : {}),
    ...(frame.values !== undefined ? { values: frame.values } : {}),
    ...(frame.units !== undefined ? { units: frame.units } : {}),
  }
}
