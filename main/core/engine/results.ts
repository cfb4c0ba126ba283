import type { Result } from '../../../common/validation'

/** The engine's answers in the one result shape (common/validation.ts). */
export const result = <T>(value: T): Result<T> => ({ ok: true, value })

export const failure = (error: string): { ok: false; errors: string[] } => ({
  ok: false,
  errors: [error],
})
