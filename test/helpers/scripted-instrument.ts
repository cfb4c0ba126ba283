import { performance } from 'node:perf_hooks'
import { DelimiterParser } from '@serialport/parser-delimiter'
import { Instrument } from './instrument'

/** What the instrument says to a command line; undefined: nothing (a silent instrument). */
export type Answer = (line: string, count: number) => string | undefined

export interface Arrival {
  line: string
  /** performance.now() when the line arrived. */
  at: number
}

/**
 * An SCPI-like instrument on the far end of a pty: each command line is answered by `answer`
 * after `delayMs` (one at a time, in order, as a real device does), and it can stream readings
 * of its own at the same time. Every command's arrival is timed, for schedule checks.
 */
export class ScriptedInstrument {
  readonly arrivals: Arrival[] = []
  delayMs: number
  answer: Answer
  /** The most commands that were ever waiting for their answers at once. */
  maxBacklog = 0
  private backlog = 0
  private streamTimer: NodeJS.Timeout | null = null
  private busyUntil = 0
  private readonly counts = new Map<string, number>()

  private constructor(
    readonly instrument: Instrument,
    answer: Answer,
    delayMs: number,
  ) {
    this.answer = answer
    this.delayMs = delayMs
    const parser = instrument.port.pipe(new DelimiterParser({ delimiter: '\n' }))
    parser.on('data', (chunk: Buffer) => this.received(chunk.toString().replace(/\r$/, '')))
  }

  static async open(
    path: string,
    answer: Answer,
    { delayMs = 0 }: { delayMs?: number } = {},
  ): Promise<ScriptedInstrument> {
    return new ScriptedInstrument(await Instrument.open(path), answer, delayMs)
  }

  /** Lines that arrived and match. */
  commands(match: RegExp | string): Arrival[] {
    return this.arrivals.filter((a) =>
      typeof match === 'string' ? a.line === match : match.test(a.line),
    )
  }

  /** Sends `line()` every `everyMs` until `stopStreaming`. */
  stream(everyMs: number, line: (n: number) => string): void {
    this.stopStreaming()
    let n = 0
    this.streamTimer = setInterval(() => void this.write(line(++n) + '\n'), everyMs)
  }

  stopStreaming(): void {
    if (this.streamTimer) clearInterval(this.streamTimer)
    this.streamTimer = null
  }

  write(text: string): Promise<void> {
    return this.instrument.write(text).catch(() => undefined)
  }

  async close(): Promise<void> {
    this.stopStreaming()
    await this.instrument.close()
  }

  private received(line: string): void {
    const at = performance.now()
    this.arrivals.push({ line, at })
    const count = (this.counts.get(line) ?? 0) + 1
    this.counts.set(line, count)
    const reply = this.answer(line, count)
    if (reply === undefined) return
    // One command at a time: an answer waits for the one before it.
    const due = Math.max(at, this.busyUntil) + this.delayMs
    this.busyUntil = due
    this.maxBacklog = Math.max(this.maxBacklog, ++this.backlog)
    const send = () => {
      this.backlog -= 1
      void this.write(reply.endsWith('\n') ? reply : reply + '\n')
    }
    if (due <= at) send()
    else setTimeout(send, due - at)
  }
}
