/**
 * The one JSON reader for text from outside: control messages, admin calls, settings files.
 * `JSON.parse` plus two rules it lacks, checked by one bounded pass over the text first:
 * - nesting at most `MAX_JSON_DEPTH` deep (a 50,000-deep `id` overflowed the stack of
 *   everything that walks the value afterwards: the schema check, the reply);
 * - no key twice in one object (`{"type":"ping","type":"write"}` would do the last one,
 *   which a reviewer of the first one never sees).
 */
export const MAX_JSON_DEPTH = 32

/** `syntax` is JSON.parse's own complaint; callers word it for their readers. */
export type JsonReading =
  | { ok: true; value: unknown }
  | { ok: false; problem: 'syntax' | 'depth' | 'duplicate'; message: string }

export function parseStrictJson(text: string, maxDepth = MAX_JSON_DEPTH): JsonReading {
  const shape = scanShape(text, maxDepth)
  if (shape === 'too-deep') {
    return { ok: false, problem: 'depth', message: `nested deeper than ${maxDepth} levels` }
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { ok: false, problem: 'syntax', message: (error as Error).message }
  }
  if (shape !== null) {
    const message = `duplicate key "${shape.duplicate}": each key may appear once`
    return { ok: false, problem: 'duplicate', message }
  }
  return { ok: true, value }
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COLON = 0x3a
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d

/**
 * One pass, no recursion: brackets outside strings give the depth; in an object, a string
 * followed by `:` is a key. Runs before JSON.parse, so it must not trip on text that is not
 * JSON: it only ever answers about depth and keys, and JSON.parse judges the rest.
 */
function scanShape(text: string, maxDepth: number): 'too-deep' | { duplicate: string } | null {
  // One entry per open bracket: the keys seen so far in an object, null for an array.
  const open: Array<Set<string> | null> = []
  let duplicate: string | null = null
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      open.push(c === OPEN_BRACE ? new Set() : null)
      if (open.length > maxDepth) return 'too-deep'
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      open.pop()
    } else if (c === QUOTE) {
      const end = stringEnd(text, i)
      const keys = open.at(-1)
      if (keys && duplicate === null && nextNonSpace(text, end) === COLON) {
        const key = keyText(text.slice(i, end))
        if (keys.has(key)) duplicate = key
        keys.add(key)
      }
      i = end - 1
    }
  }
  return duplicate === null ? null : { duplicate }
}

/** The index just past the closing quote of the string opening at `start` (or the end). */
function stringEnd(text: string, start: number): number {
  for (
    let quote = text.indexOf('"', start + 1);
    quote !== -1;
    quote = text.indexOf('"', quote + 1)
  ) {
    // Escaped when an odd number of backslashes stands right before it.
    let slashes = 0
    while (text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes++
    if (slashes % 2 === 0) return quote + 1
  }
  return text.length
}

function nextNonSpace(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i)
    // JSON's whitespace: space, tab, line feed, carriage return.
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return c
  }
  return -1
}

/** `"\u0074ype"` and `"type"` are the same key. */
function keyText(literal: string): string {
  if (!literal.includes('\\')) return literal.slice(1, -1)
  try {
    return JSON.parse(literal) as string
  } catch {
    return literal
  }
}
