import type { Transform } from 'node:stream'
import type { SerialPortStream } from '@serialport/stream'
import type { Framing } from '../../../common/settings-schema'
import { createFramer } from './framing'
import { watchPath } from './path-watchdog'
import { describePortError } from './port-errors'
import type { PortMetricsCounter } from './port-metrics'
import type { WriteSink } from './write-queue'

export interface OpenLineEvents {
  frame(bytes: Buffer): void
  closed(error: (Error & { disconnected?: boolean }) | undefined): void
  /** Its device file went away (path-watchdog). */
  gone(): void
}

/**
 * An open serial stream and what hangs on it while it is open: the framer its bytes go
 * through, the sink the write queue writes into, and the watch on its device file.
 */
export class OpenLine {
  readonly sink: WriteSink
  private readonly framer: Transform
  private readonly stopPathWatch: (() => void) | null

  constructor(
    readonly port: SerialPortStream,
    path: string,
    framing: Framing,
    metrics: PortMetricsCounter,
    events: OpenLineEvents,
  ) {
    this.sink = (bytes, done) =>
      port.write(bytes, (error) => done(error ? describedError(error, path) : null))
    const framer = createFramer(framing, metrics)
    this.framer = framer
    port.pipe(framer)
    framer.on('data', (bytes: Buffer) => events.frame(bytes))
    port.on('error', () => {
      // Reported through `close`; without a listener an error event would throw.
    })
    port.on('close', (error?: Error & { disconnected?: boolean }) => events.closed(error))
    this.stopPathWatch = watchPath(path, () => events.gone())
  }

  /** Lets go of the framer and the watch; the stream itself is closed by its owner. */
  detach(): void {
    this.port.unpipe(this.framer)
    this.framer.removeAllListeners('data')
    // A frame left open is dropped with its framer (and an idle framer's timer with it).
    this.framer.destroy()
    this.stopPathWatch?.()
  }
}

function describedError(error: Error, path: string): Error {
  return new Error(describePortError(error, path).message)
}
