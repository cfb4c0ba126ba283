import type { z } from 'zod'
import {
  portSettingsSchema,
  settingsSchema,
  type PortSettings,
  type Settings,
} from './settings-schema'

/**
 * The one result shape of every operation that can fail: engine, contract and UI alike. Each
 * error is a sentence for people; a wrong setting's sentence starts with the field's path.
 */
export type Result<T = undefined> = { ok: true; value: T } | { ok: false; errors: string[] }

/** `['ports', 0, 'baudRate']` → `ports[0].baudRate`, the way a person finds it in the file. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out ? `.${String(key)}` : String(key)
  }
  return out || '(root)'
}

export function formatIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): string[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path]
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => `${formatPath([...path, k])}: unknown field`).join('; ')
    }
    return `${formatPath(path)}: ${issue.message}`
  })
}

export function validateSettings(input: unknown): Result<Settings> {
  const result = settingsSchema.safeParse(input)
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: formatIssues(result.error) }
}

export function validatePortSettings(input: unknown): Result<PortSettings> {
  const result = portSettingsSchema.safeParse(input)
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: formatIssues(result.error) }
}
