import { describe } from 'node:test'
import type { BindingInterface } from '@serialport/bindings-interface'
import { MockLine } from './mock-line'
import { SocatPair } from './socat-pair'

/** The test's end of a serial line: it plays the instrument the bridge talks to. */
export interface TestInstrument {
  /** Every chunk the bridge wrote, in order. */
  readonly received: Buffer[]
  /** What the bridge wrote, split at `\n`. */
  readonly lines: string[]
  /** Sends bytes to the bridge; resolves once they have left. */
  write(data: string | Buffer): Promise<void>
  bytes(): Buffer
  waitForLine(line: string, timeoutMs?: number): Promise<true>
  /** Called with each chunk the bridge writes, after `received` and `lines` have it. */
  onData(listener: (chunk: Buffer) => void): () => void
  close(): Promise<void>
}

/**
 * A serial line between the bridge and the test: the bridge opens `a`; `unplug()` is a real
 * disconnect and `plug()` brings the device back on the same path.
 */
export interface TestLine<I extends TestInstrument = TestInstrument> {
  readonly a: string
  /** The binding the engine must open `a` through; none: the real one (bindings-cpp). */
  readonly binding?: BindingInterface
  plug(): Promise<void>
  unplug(): Promise<void>
  dispose(): Promise<void>
  /** The far end, once the bridge has `a` open. */
  openInstrument(): Promise<I>
}

export interface LineKind {
  name: string
  line(name: string): TestLine
}

const LINE_KINDS: Record<string, LineKind> = {
  socat: { name: 'a socat pty', line: (name) => new SocatPair(name) },
  mock: { name: 'binding-mock', line: (name) => new MockLine(name) },
}

/**
 * The lines tests run on: all of them, unless `TEST_SERIAL_LINES` names some (comma-separated).
 * `TEST_SERIAL_LINES=mock` is for machines without socat (Windows CI, `npm run test:no-pty`).
 */
export function testLines(): LineKind[] {
  const wanted = process.env.TEST_SERIAL_LINES?.split(',').map((s) => s.trim()) ?? []
  if (wanted.length === 0) return Object.values(LINE_KINDS)
  return wanted.map((key) => {
    const kind = LINE_KINDS[key]
    if (!kind) throw new Error(`TEST_SERIAL_LINES: no line kind "${key}" (socat, mock)`)
    return kind
  })
}

/** One suite per line kind in use: `name over binding-mock`, `name over a socat pty`. */
export function describeOnLines(name: string, body: (kind: LineKind) => void): void {
  for (const kind of testLines()) describe(`${name} over ${kind.name}`, () => body(kind))
}

/** Waits until the instrument has `length` bytes from the bridge past the first `start`. */
export function waitForBytes(
  instrument: TestInstrument,
  start: number,
  length: number,
  timeoutMs = 5000,
): Promise<true> {
  return new Promise((resolve, reject) => {
    const done = (): boolean => instrument.bytes().length - start >= length
    if (done()) return resolve(true)
    const timer = setTimeout(() => {
      stop()
      reject(
        new Error(
          `timed out after ${timeoutMs} ms: the instrument got ${instrument.bytes().length - start} of ${length} bytes`,
        ),
      )
    }, timeoutMs)
    const stop = instrument.onData(() => {
      if (!done()) return
      clearTimeout(timer)
      stop()
      resolve(true)
    })
  })
}
