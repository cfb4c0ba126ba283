/** Origins compare without case and without a trailing `/`, as browsers may send either. */
export function normalizeOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, '')
}
