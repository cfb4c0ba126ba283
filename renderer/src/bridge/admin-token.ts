/** Where the admin token is kept for this tab, so a reload stays authorised. */
export const ADMIN_TOKEN_KEY = 'serial-bridge.adminToken'

export interface TokenLocation {
  readonly href: string
}

export interface TokenPlace {
  location: TokenLocation
  history: Pick<History, 'replaceState'>
  storage: Pick<Storage, 'getItem' | 'setItem'>
}

/**
 * Takes `adminToken` from the page URL (`?adminToken=` or `#adminToken=`), keeps it in
 * session storage and removes it from the visible URL (it should not end up in a screenshot,
 * bookmark or browser history). Falls back to the stored token.
 */
export function takeAdminToken(place: TokenPlace): string | null {
  const url = new URL(place.location.href)
  const hash = new URLSearchParams(url.hash.slice(1))
  const fromQuery = url.searchParams.get('adminToken')
  const fromHash = hash.get('adminToken')
  const token = fromQuery ?? fromHash
  if (token) {
    place.storage.setItem(ADMIN_TOKEN_KEY, token)
    if (fromQuery !== null) url.searchParams.delete('adminToken')
    if (fromHash !== null) {
      hash.delete('adminToken')
      const rest = hash.toString()
      url.hash = rest ? `#${rest}` : ''
    }
    place.history.replaceState(null, '', url.toString())
    return token
  }
  return place.storage.getItem(ADMIN_TOKEN_KEY)
}

/** `http://host:port/app/` → `ws://host:port/admin?adminToken=…`; https pages use wss. */
export function adminSocketUrl(pageHref: string, adminPath: string, token: string | null): string {
  const page = new URL(pageHref)
  const url = new URL(adminPath, page)
  url.protocol = page.protocol === 'https:' ? 'wss:' : 'ws:'
  url.search = ''
  url.hash = ''
  if (token) url.searchParams.set('adminToken', token)
  return url.toString()
}
