import { ScriptedInstrument } from './scripted-instrument'
import { SocatPair } from './socat-pair'

/** What the streaming instrument answers to `*IDN?`. */
export const STREAMING_IDN = 'ACME,Streamer,SN-7,2.1'
export const STREAMING_READING = /^V=\d+$/

/**
 * The case of issue 8 §2 on a real pty: an instrument that prints a reading every 10 ms and
 * answers `*IDN?` only after 100 ms, so about ten readings come between the command and its
 * answer. A bare query gets a reading as its reply; one with `expect` gets the answer.
 */
export class StreamingInstrument {
  private constructor(
    readonly pair: SocatPair,
    readonly device: ScriptedInstrument,
  ) {}

  /** The bridge opens `path`. */
  get path(): string {
    return this.pair.a
  }

  static async start(): Promise<StreamingInstrument> {
    const pair = new SocatPair('streaming')
    await pair.plug()
    const device = await ScriptedInstrument.open(
      pair.b,
      (line) => (line.trim() === '*IDN?' ? STREAMING_IDN : undefined),
      { delayMs: 100 },
    )
    device.stream(10, (n) => `V=${n}`)
    return new StreamingInstrument(pair, device)
  }

  async stop(): Promise<void> {
    await this.device.close()
    await this.pair.dispose()
  }
}
