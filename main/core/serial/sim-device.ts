import type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
  PortInfo,
} from '@serialport/bindings-interface'
import { SIM_PREFIX } from '../../../common/sim-paths'
import type { PortSettings } from '../../../common/settings-schema'
import { canceled } from './read-queue'
import { SimulatedPort } from './simulated-port'

export const SIM_IDN = 'SerialBridge,SimulatedInstrument,SB-0001,1.0'

export interface SimDeviceOptions {
  /** How often a reading is streamed. */
  intervalMs?: number
}

/**
 * A simulated lab instrument behind the real serialport stack (same framing, same states):
 * it streams a temperature/humidity reading a few times a second, answers `*IDN?` and `MEAS?`
 * (the current reading), and echoes every other line it is sent.
 */
export class SimDevicePort extends SimulatedPort {
  private received = ''
  private temperature = 22.5
  private humidity = 45
  private readonly timer: NodeJS.Timeout

  constructor(options: OpenOptions, sim: SimDeviceOptions = {}) {
    super(options)
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
    this.queue.push(Buffer.from(text, 'utf8'))
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

  protected stopped(): void {
    clearInterval(this.timer)
  }
}

/** Opens a simulated device of one `sim:` path; `port` is the settings of the port opening it. */
export type SimDeviceFactory = (
  options: OpenOptions,
  port: PortSettings | undefined,
) => Promise<BindingPortInterface>

/**
 * The binding every port opens through: `sim:` paths go to the simulator (or to a simulated
 * device a capability provides, e.g. `sim:replay`), everything else to the hardware binding
 * passed in (bindings-cpp in the app, a mock in some tests).
 */
export function withSimulator(
  hardware: BindingInterface,
  sim: SimDeviceOptions = {},
  devices: () => ReadonlyMap<string, SimDeviceFactory> = () => new Map(),
): BindingInterface {
  return {
    list: (): Promise<PortInfo[]> => hardware.list(),
    open: async (options: OpenOptions): Promise<BindingPortInterface> => {
      if (!options.path.startsWith(SIM_PREFIX)) return hardware.open(options)
      const device = devices().get(options.path)
      const port = (options as OpenOptions & { simPort?: PortSettings }).simPort
      return device ? device(options, port) : new SimDevicePort(options, sim)
    },
  }
}
