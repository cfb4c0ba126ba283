import type { BindingPortInterface, OpenOptions, PortStatus } from '@serialport/bindings-interface'
import { ReadQueue } from './read-queue'

/** The options a simulated port reports, with serialport's defaults filled in. */
export function withOpenDefaults(options: OpenOptions): Required<OpenOptions> {
  return {
    dataBits: 8,
    lock: true,
    stopBits: 1,
    parity: 'none',
    rtscts: false,
    xon: false,
    xoff: false,
    xany: false,
    hupcl: true,
    ...options,
  } as Required<OpenOptions>
}

/**
 * What every simulated device shares as a serialport binding port: what it "sends" waits in a
 * read queue, modem lines always answer, and closing stops what `stopped()` says.
 */
export abstract class SimulatedPort implements BindingPortInterface {
  isOpen = true
  readonly openOptions: Required<OpenOptions>
  protected readonly queue = new ReadQueue()

  constructor(options: OpenOptions) {
    this.openOptions = withOpenDefaults(options)
  }

  abstract write(data: Buffer): Promise<void>

  /** Stops the device's own timers; the port is already marked closed. */
  protected abstract stopped(): void

  read(buffer: Buffer, offset: number, length: number) {
    return this.queue.read(buffer, offset, length)
  }

  async close(): Promise<void> {
    if (!this.isOpen) throw new Error('Port is not open')
    this.isOpen = false
    this.stopped()
    this.queue.close()
  }

  async update(): Promise<void> {}
  async set(): Promise<void> {}
  async get(): Promise<PortStatus> {
    return { cts: true, dsr: true, dcd: true }
  }
  async getBaudRate(): Promise<{ baudRate: number }> {
    return { baudRate: this.openOptions.baudRate }
  }
  async flush(): Promise<void> {
    this.queue.clear()
  }
  async drain(): Promise<void> {}
}
