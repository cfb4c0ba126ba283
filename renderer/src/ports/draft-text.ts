/** How the port form turns typed text into settings values, shared by its sections. */

/** `"\r\n"` → `"\\r\\n"`: control characters typed the way people write them. */
export function escapeBytes(text: string): string {
  let out = ''
  for (const c of text) {
    const code = c.charCodeAt(0)
    if (c === '\n') out += '\\n'
    else if (c === '\r') out += '\\r'
    else if (c === '\t') out += '\\t'
    else if (c === '\\') out += '\\\\'
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else out += c
  }
  return out
}

export function unescapeBytes(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|[nrt\\])/g, (_, e: string) => {
    if (e === 'n') return '\n'
    if (e === 'r') return '\r'
    if (e === 't') return '\t'
    if (e === '\\') return '\\'
    return String.fromCharCode(parseInt(e.slice(1), 16))
  })
}

/** `" 500 "` → 500; anything but digits → null (the caller names the field). */
export function wholeNumber(text: string): number | null {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : null
}
