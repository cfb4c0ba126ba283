import { waitFor } from './wait'

/** What a test's instrument has heard from the bridge: every chunk, and the lines they make. */
export class InstrumentLog {
  readonly received: Buffer[] = []
  /** Split at `\n`, without it; empty lines are left out. */
  readonly lines: string[] = []
  private partial = Buffer.alloc(0)
  private readonly listeners = new Set<(chunk: Buffer) => void>()

  /** A chunk the bridge wrote: recorded, split into lines, then told to `onData` listeners. */
  heard(chunk: Buffer): void {
    this.received.push(chunk)
    let rest = this.partial.length > 0 ? Buffer.concat([this.partial, chunk]) : chunk
    for (let end = rest.indexOf(0x0a); end >= 0; end = rest.indexOf(0x0a)) {
      if (end > 0) this.lines.push(rest.subarray(0, end).toString())
      rest = rest.subarray(end + 1)
    }
    this.partial = Buffer.from(rest)
    for (const listener of this.listeners) listener(chunk)
  }

  bytes(): Buffer {
    return Buffer.concat(this.received)
  }

  waitForLine(line: string, timeoutMs = 5000): Promise<true> {
    return waitFor(() => this.lines.includes(line), {
      what: `instrument to receive "${line}"`,
      timeoutMs,
    })
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }
}
