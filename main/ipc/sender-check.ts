/** What IPC handlers see of the frame that called them (Electron's `WebFrameMain`). */
export interface SenderFrame {
  readonly url: string
}

/**
 * Accepts only frames showing our renderer: same scheme and host as `rendererUrl`, and for
 * `file:` the same page. Anything else (a navigated or injected frame) is refused.
 */
export function createSenderCheck(rendererUrl: string): (frame: SenderFrame | null) => boolean {
  const expected = new URL(rendererUrl)
  return (frame) => {
    if (!frame) return false
    let actual: URL
    try {
      actual = new URL(frame.url)
    } catch {
      return false
    }
    if (actual.protocol !== expected.protocol || actual.host !== expected.host) return false
    return expected.protocol !== 'file:' || actual.pathname === expected.pathname
  }
}
