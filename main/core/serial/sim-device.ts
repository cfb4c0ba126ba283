import type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
  PortInfo,
  PortStatus,
} from '@serialport/bindings-interface'
import { SIM_PREFIX } from '../../../common/sim-paths'

export const SIM_IDN = 'SerialBridge,SimulatedInstrument,SB-0001,1.0'

export interface SimDeviceOptions {
  /** How often a reading is streamed. */
  intervalMs?: number
}

function canceled(): Error {
  return Object.assign(new Error('Port is closed'), { canceled: true })
}

/**
 * A simulated lab instrument behind the real serialport stack (same framing, same states):
 * it streams a temperature/humidity reading a few times a second, answers `*IDN?` and `MEAS?`
 * (the current reading), and echoes every other line it is sent.
 */
export class SimDevicePort implements BindingPortInterface {
  isOpen = true
  readonly openOptions: Required<OpenOptions>
  private pending: Buffer[] = []
  private reader: { resolve: () => void; reject: (e: Error) => void } | null = null
  private received = ''
  private temperature = 22.5
  private humidity = 45
  private readonly timer: NodeJS.Timeout

  constructor(options: OpenOptions, sim: SimDeviceOptions = {}) {
    this.openOptions = {
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
    this.timer = setInterval(() => this.emitReading(), sim.intervalMs ?? 250)
  }

  private emitReading(): void {
    this.temperature += (Math.random() - 0.5) * 0.2
    this.humidity = Math.min(90, Math.max(20, this.humidity + (Math.random() - 0.5) * 0.5))
    this.push(this.reading())
  }

  /** `T=22.51,RH=45.2`: parses with `{"mode":"keyValue"}`. */
  private reading(): string {
    return `T=${this.temperature.toFixed(2)},RH=${this.humidity.toFixed(1)}\n`
  }

  private answer(line: string): string {
    const command = line.trim().toUpperCase()
    if (command === '*IDN?') return `${SIM_IDN}\n`
    if (command === 'MEAS?') return this.reading()
    return `${line}\n`
  }

  private push(text: string): void {
    this.pending.push(Buffer.from(text, 'utf8'))
    const reader = this.reader
    this.reader = null
    reader?.resolve()
  }

  async read(
    buffer: Buffer,
    offset: number,
    length: number,
  ): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (!this.isOpen) throw canceled()
    while (this.pending.length === 0) {
      await new Promise<void>((resolve, reject) => (this.reader = { resolve, reject }))
      if (!this.isOpen) throw canceled()
    }
    const head = this.pending[0]!
    const bytesRead = head.copy(buffer, offset, 0, Math.min(length, head.length))
    if (bytesRead === head.length) this.pending.shift()
    else this.pending[0] = head.subarray(bytesRead)
    return { buffer, bytesRead }
  }

  async write(data: Buffer): Promise<void> {
    if (!this.isOpen) throw canceled()
    this.received += data.toString('utf8')
    let newline: number
    while ((newline = this.received.search(/\r?\n/)) >= 0) {
      const line = this.received.slice(0, newline)
      this.received = this.received.slice(this.received.indexOf('\n', newline) + 1)
      this.push(this.answer(line))
    }
  }

  async close(): Promise<void> {
    if (!this.isOpen) throw new Error('Port is not open')
    this.isOpen = false
    clearInterval(this.timer)
    const reader = this.reader
    this.reader = null
    reader?.reject(canceled())
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
    this.pending = []
  }
  async drain(): Promise<void> {}
}

/**
 * The binding every port opens through: `sim:` paths go to the simulator, everything else
 * to the hardware binding passed in (bindings-cpp in the app, a mock in some tests).
 */
export function withSimulator(
  hardware: BindingInterface,
  sim: SimDeviceOptions = {},
): BindingInterface {
  return {
    list: (): Promise<PortInfo[]> => hardware.list(),
    open: async (options: OpenOptions): Promise<BindingPortInterface> =>
      options.path.startsWith(SIM_PREFIX)
        ? new SimDevicePort(options, sim)
        : hardware.open(options),
  }
}
