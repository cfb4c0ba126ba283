import { SerialPortStream } from '@serialport/stream'
import type { BindingInterface } from '@serialport/bindings-interface'
import type { PortSettings } from '../../../common/settings-schema'
import { SIM_PREFIX } from '../../../common/sim-paths'

/** A port's serial stream with the settings of its line, not yet opened. */
export function serialStream(
  binding: BindingInterface,
  path: string,
  s: PortSettings,
): SerialPortStream {
  return new SerialPortStream({
    binding,
    path,
    baudRate: s.baudRate,
    dataBits: s.dataBits,
    parity: s.parity,
    stopBits: s.stopBits,
    rtscts: s.flowControl === 'rtscts',
    xon: s.flowControl === 'xonxoff',
    xoff: s.flowControl === 'xonxoff',
    autoOpen: false,
    // Node's default is 16 KiB: a fast line fills it before the parser runs.
    highWaterMark: 256 * 1024,
    // A simulated device may depend on the port's settings (replay: its file; framing).
    ...(path.startsWith(SIM_PREFIX) ? { simPort: s } : {}),
  } as ConstructorParameters<typeof SerialPortStream>[0])
}

export function openStream(port: SerialPortStream): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    port.open((error) => (error ? reject(error) : resolve())),
  )
}

export function closeStream(port: SerialPortStream): Promise<void> {
  return new Promise<void>((resolve) => port.close(() => resolve()))
}
