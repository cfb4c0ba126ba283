/**
 * How late this process's timers fire while something runs: a chain of 5 ms timers, each
 * measured against when it was due. A test of scheduled output (replay, polls) allows its
 * tolerance plus this, so a loaded machine's own lateness is not blamed on the code under test.
 */
export function watchTimerLateness(stepMs = 5): { stop(): number } {
  let worst = 0
  let timer: NodeJS.Timeout
  const arm = (): void => {
    const due = performance.now() + stepMs
    timer = setTimeout(() => {
      worst = Math.max(worst, performance.now() - due)
      arm()
    }, stepMs)
  }
  arm()
  return {
    stop() {
      clearTimeout(timer)
      return worst
    },
  }
}
