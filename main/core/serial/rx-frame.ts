import type { DecodedFrame } from './frame-decoder'

/** A frame read from a port, decoded once for every client. */
export class RxFrame {
  /**
   * The decoder saw an all-ASCII frame and skipped decoding: its text is its bytes, the same in
   * every encoding, so text clients get them as they are. (False does not prove non-ASCII.)
   */
  readonly ascii: boolean
  readonly valid: boolean
  /** The poll whose reply this frame is (set before the frame is sent anywhere). */
  poll?: string
  /** Named numbers parsed from the frame, once, by the engine (and their units, where known). */
  values?: Record<string, number>
  units?: Record<string, string>
  private decodedText: string | null

  constructor(
    readonly port: string,
    readonly bytes: Buffer,
    readonly ts: number,
    readonly seq: number,
    decoded: DecodedFrame,
  ) {
    this.ascii = decoded.text === null
    this.valid = decoded.valid
    this.decodedText = decoded.text
  }

  /** Made on first use for ASCII frames: a port stream of text or binary clients never needs it. */
  get text(): string {
    return (this.decodedText ??= this.bytes.toString('latin1'))
  }
}
