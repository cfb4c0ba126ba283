import type { Settings } from '../../../common/settings-schema'
import type { Result } from '../../../common/validation'

export interface SettingsKeeper {
  /** The settings in force. */
  current(): Settings
  /**
   * Saves `next`, then runs `apply` and puts `next` in force: a change that cannot be saved is
   * refused whole, so what runs is always what the next start loads.
   */
  commit(next: Settings, apply?: () => Promise<void> | void): Promise<Result<undefined>>
  /** Puts `next` in force even if it cannot be saved; returns why it was not saved, or null. */
  force(next: Settings): Promise<string | null>
  /**
   * Runs one change at a time. A change reads the settings in force and commits what it made
   * of them: two at once (two REST polls saved together) would each start from the same
   * settings, and the later one would undo the earlier.
   */
  inTurn<T>(change: () => Promise<T>): Promise<T>
}

/**
 * Holds the engine's settings and their file. Saving comes first because the other order
 * (the old engine's) left a change that failed to save (disk full, file unwritable) running
 * until the next start silently undid it, while the caller was told it failed.
 */
export function keepSettings(
  initial: Settings,
  persist: ((settings: Settings) => Promise<void> | void) | undefined,
  changed: (settings: Settings) => void,
): SettingsKeeper {
  let settings = initial
  let turn: Promise<unknown> = Promise.resolve()
  const save = async (next: Settings): Promise<string | null> => {
    try {
      await persist?.(next)
      return null
    } catch (error) {
      return `settings not saved (${(error as Error).message})`
    }
  }
  const putInForce = (next: Settings): void => {
    settings = next
    changed(settings)
  }
  return {
    current: () => settings,
    async commit(next, apply) {
      const unsaved = await save(next)
      if (unsaved) return { ok: false, errors: [`${unsaved}; nothing was changed`] }
      await apply?.()
      putInForce(next)
      return { ok: true, value: undefined }
    },
    async force(next) {
      putInForce(next)
      return save(next)
    },
    inTurn(change) {
      const next = turn.then(change, change)
      turn = next.catch(() => undefined)
      return next
    },
  }
}
