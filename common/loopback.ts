/**
 * Which listen addresses and Host names mean "this computer only". Checked as addresses, not
 * as text: `127.attacker.example` starts with "127." but is a name anyone can point anywhere.
 */

/** `127.0.0.1` → [127, 0, 0, 1]; null unless it is exactly four decimal octets. */
function ipv4Octets(text: string): number[] | null {
  const parts = text.split('.')
  if (parts.length !== 4) return null
  const octets = parts.map((p) => (/^(0|[1-9][0-9]{0,2})$/.test(p) ? Number(p) : NaN))
  return octets.every((o) => o <= 255) ? octets : null
}

/** `::1`, `0:0:0:0:0:0:0:1` and IPv4-mapped loopback (`::ffff:127.0.0.1`), brackets allowed. */
function isIpv6Loopback(text: string): boolean {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(.+)$/i.exec(bare)
  if (mapped) return ipv4Octets(mapped[1]!)?.[0] === 127
  if (!/^[0-9a-f:]+$/i.test(bare) || bare.split('::').length > 2) return false
  const [head = '', tail] = bare.split('::')
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'))
  const left = groups(head)
  const right = tail === undefined ? [] : groups(tail)
  if ([...left, ...right].some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return false
  const missing = 8 - left.length - right.length
  if (tail === undefined ? missing !== 0 : missing < 1) return false
  const all = [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => parseInt(g, 16))
  return all.slice(0, 7).every((g) => g === 0) && all[7] === 1
}

/** `localhost`, any 127.x.y.z address, or the IPv6 loopback address. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase()
  if (h === 'localhost') return true
  const v4 = ipv4Octets(h)
  if (v4) return v4[0] === 127
  return isIpv6Loopback(h)
}
