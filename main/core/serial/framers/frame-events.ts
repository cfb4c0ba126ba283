/** What a framer reports besides its frames; the port's metrics count them. */
export interface FrameEvents {
  /** A frame grew past `maxFrameBytes` and was cut there. */
  cut(): void
  /** A frame ended the way the framing says (a cut is no ending). */
  ended(): void
  /** Bytes arrived that no ending has followed yet. */
  arrived(bytes: number): void
}

export const noFrameEvents: FrameEvents = { cut() {}, ended() {}, arrived() {} }
