import { MockBinding, type MockPortBinding } from '@serialport/binding-mock'
import type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
  SetOptions,
  UpdateOptions,
} from '@serialport/bindings-interface'
import { InstrumentLog } from './instrument-log'
import type { TestInstrument, TestLine } from './test-lines'

/** The most one read gives the bridge (binding-mock's default is 1 KiB). */
const READ_SIZE = 4096

const lines = new Map<string, MockLine>()
let made = 0

// The OS's words (bindings-cpp's on Windows, a Linux read after a hang-up), so the engine's
// error classes see what they see on hardware; binding-mock's own say "please call createPort".
const notFound = (path: string): Error => new Error(`Opening ${path}: File not found`)
const ioError = (): Error =>
  Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', disconnected: true })

/** One binding for every mock line in the process: it opens the line plugged in at a path. */
const mockLinesBinding: BindingInterface = {
  async list() {
    return (await MockBinding.list()).filter((p) => lines.get(p.path)?.plugged)
  },
  async open(options: OpenOptions) {
    const line = lines.get(options.path)
    if (!line?.plugged) throw notFound(options.path)
    return line.opened(await MockBinding.open(options))
  },
}

/**
 * A serial line on `@serialport/binding-mock`, for machines without socat (Windows): the bridge
 * opens `a` through `binding`, the test plays the instrument. `unplug()` fails the bridge's
 * reads and writes and takes the device off the list (a reopen finds nothing); `plug()` brings
 * it back.
 */
export class MockLine implements TestLine<MockInstrument> {
  readonly a: string
  readonly binding = mockLinesBinding
  readonly instrument: MockInstrument
  private pluggedIn = false
  private port: LinePort | null = null

  constructor(readonly name = 'tty') {
    // Not under /dev: the engine watches device files there, and these have none.
    this.a = `COM${++made}`
    lines.set(this.a, this)
    this.instrument = new MockInstrument(name, () => this.port)
  }

  get plugged(): boolean {
    return this.pluggedIn
  }

  async plug(): Promise<void> {
    if (this.pluggedIn) return
    // A fresh device each time: nothing left over from before the unplug.
    MockBinding.createPort(this.a, { maxReadSize: READ_SIZE })
    this.pluggedIn = true
  }

  /**
   * `silent`: the device leaves the list but the open port never says so, as Windows may
   * never report the `close` after an unplug (serialport issues 996, 2351).
   */
  async unplug({ silent = false } = {}): Promise<void> {
    this.pluggedIn = false
    if (!silent) this.port?.pull()
  }

  async dispose(): Promise<void> {
    await this.unplug()
    lines.delete(this.a)
  }

  async openInstrument(): Promise<MockInstrument> {
    return this.instrument
  }

  /** The bridge has opened the line: its port, seen through the line. */
  opened(inner: MockPortBinding): LinePort {
    const port = new LinePort(inner, (bytes) => this.instrument.heard(bytes))
    this.port = port
    return port
  }
}

/** The bridge's side of a mock line: binding-mock's port, with an unplug and a read-out. */
class LinePort implements BindingPortInterface {
  private gone = false
  private cut: (error: Error) => void = () => undefined
  private readonly unplugged = new Promise<never>((_resolve, reject) => (this.cut = reject))
  private readonly readWaiters = new Set<() => void>()

  constructor(
    private readonly inner: MockPortBinding,
    private readonly wrote: (bytes: Buffer) => void,
  ) {
    this.unplugged.catch(() => undefined)
  }

  get isOpen(): boolean {
    return this.inner.isOpen
  }

  get openOptions(): Required<OpenOptions> {
    return this.inner.openOptions
  }

  /** The instrument sends: resolves once the bridge has read all of it (or the line is gone). */
  send(bytes: Buffer): Promise<void> {
    if (this.gone || !this.isOpen) return Promise.reject(new Error('the line is not open'))
    this.inner.emitData(bytes)
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.inner.port.data.length > 0 && this.isOpen && !this.gone) return
        this.readWaiters.delete(check)
        resolve()
      }
      this.readWaiters.add(check)
    })
  }

  pull(): void {
    this.gone = true
    this.cut(ioError())
    this.readDone()
  }

  async read(buffer: Buffer, offset: number, length: number) {
    try {
      const result = await Promise.race([this.inner.read(buffer, offset, length), this.unplugged])
      // binding-mock answers on the next tick, so a stream reading it never lets the event loop
      // turn (clients' sockets starve); a real binding's read completes from the loop's I/O.
      await new Promise((resolve) => setImmediate(resolve))
      return result
    } finally {
      this.readDone()
    }
  }

  async write(buffer: Buffer): Promise<void> {
    if (this.gone) throw ioError()
    await Promise.race([this.inner.write(buffer), this.unplugged])
    // binding-mock keeps a copy of what it was given.
    this.wrote(this.inner.lastWrite!)
  }

  async close(): Promise<void> {
    await this.inner.close()
    this.readDone()
  }

  update(options: UpdateOptions): Promise<void> {
    return this.inner.update(options)
  }
  set(options: SetOptions): Promise<void> {
    return this.inner.set(options)
  }
  get() {
    return this.inner.get()
  }
  getBaudRate() {
    return this.inner.getBaudRate()
  }
  flush(): Promise<void> {
    return this.inner.flush()
  }
  drain(): Promise<void> {
    return this.inner.drain()
  }

  private readDone(): void {
    for (const check of [...this.readWaiters]) check()
  }
}

/** The test's end of a mock line: what the bridge wrote, and a way to send it bytes. */
export class MockInstrument extends InstrumentLog implements TestInstrument {
  constructor(
    private readonly name: string,
    private readonly port: () => LinePort | null,
  ) {
    super()
  }

  /** Resolves once the bridge has read the bytes, as a pty's write does once they have left. */
  write(data: string | Buffer): Promise<void> {
    const port = this.port()
    if (!port)
      return Promise.reject(new Error(`mock line "${this.name}": the bridge has not opened it`))
    return port.send(Buffer.from(data))
  }

  async close(): Promise<void> {}
}
