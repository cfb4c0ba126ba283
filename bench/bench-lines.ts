/**
 * What travels through the pty. Data lines: `<seq> <stampNs> xxxx…`; commands (client → port):
 * `C <seq> <stampNs> <payload>`; queries `Q <tag> <n> <stampNs>`, answered `A <tag> <n> <stampNs>`.
 * No delimiter included: the writer appends "\n".
 */
const PAD = 'x'.repeat(65_536)

export function dataLine(seq: number, stampNs: number, bytes: number): string {
  const head = `${seq} ${stampNs} `
  // bytes counts the delimiter too, so a 64-byte line is 63 characters plus "\n".
  return head + PAD.slice(0, Math.max(0, bytes - 1 - head.length))
}

/**
 * A reading of four channels, as a fast data logger prints it (`keyValue` parses it): four
 * different curves, so the plot draws four lines.
 */
export function valuesLine(seq: number): string {
  const t = seq / 200
  return `A=${Math.sin(t).toFixed(4)},B=${Math.cos(t).toFixed(4)},C=${((seq % 1000) / 100).toFixed(2)},D=${seq}`
}

/** Reads `<seq> <stampNs>` from a data line; null for anything else (JSON, probes, answers). */
export function parseDataLine(text: string): { seq: number; stampNs: number } | null {
  const first = text.charCodeAt(0)
  if (first < 48 || first > 57) return null
  const a = text.indexOf(' ')
  const b = text.indexOf(' ', a + 1)
  if (a < 0) return null
  const seq = Number(text.slice(0, a))
  const stampNs = Number(text.slice(a + 1, b < 0 ? undefined : b))
  return Number.isFinite(seq) && Number.isFinite(stampNs) ? { seq, stampNs } : null
}

/** Deterministic from seq, so the receiver can tell an intact command from a mangled one. */
export function commandPayload(seq: number): string {
  return `${seq.toString(36)}:`.repeat(8).slice(0, 40)
}

export function commandLine(seq: number, stampNs: number): string {
  return `C ${seq} ${stampNs} ${commandPayload(seq)}`
}

export function parseCommandLine(
  text: string,
): { seq: number; stampNs: number; intact: boolean } | null {
  const parts = text.split(' ')
  if (parts[0] !== 'C' || parts.length !== 4) return null
  const seq = Number(parts[1])
  const stampNs = Number(parts[2])
  if (!Number.isInteger(seq) || !Number.isFinite(stampNs)) return null
  return { seq, stampNs, intact: parts[3] === commandPayload(seq) }
}

export function queryLine(tag: string, n: number, stampNs: number): string {
  return `Q ${tag} ${n} ${stampNs}`
}

/** The instrument answers a query at once with the same fields. */
export function answerFor(query: string): string | null {
  return query.startsWith('Q ') ? `A ${query.slice(2)}` : null
}

export function probeLine(n: number): string {
  return `P ${n}`
}
