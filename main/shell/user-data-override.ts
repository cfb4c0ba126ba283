/**
 * `SERIAL_BRIDGE_USER_DATA=<folder>`: a separate profile (settings, single-instance lock) for the
 * test suites and side-by-side runs of a development build. A packaged build ignores it: there
 * it would let whatever sets the environment of a lab PC's app swap in settings of its own
 * (tokens, allowed origins, listen address) without touching the real profile.
 */
export function userDataOverride(
  isPackaged: boolean,
  env: Record<string, string | undefined>,
): string | null {
  if (isPackaged) return null
  return env.SERIAL_BRIDGE_USER_DATA || null
}
