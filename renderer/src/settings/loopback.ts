/**
 * Same rule as `isLoopbackHost` in main/core/settings/settings-schema.ts, which the renderer
 * may not import at run time (only its types).
 */
export function isLoopbackHostName(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.')
}
