import type { Unsubscribe } from '../../../common/contract'

/**
 * A store outside React that views poll: `version` moves on every change, and listeners hear
 * of it (a view then reads at most once per animation frame, see use-store-version).
 */
export class ChangeNotifier {
  private readonly listeners = new Set<() => void>()
  /** Bumped on every change, so a view can tell whether to re-read. */
  version = 0

  subscribe(listener: () => void): Unsubscribe {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  protected changed(): void {
    this.version += 1
    for (const listener of this.listeners) listener()
  }
}
