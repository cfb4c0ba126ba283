import { Writable } from 'node:stream'
import { autoDetect } from '@serialport/bindings-cpp'
import { SerialPortStream } from '@serialport/stream'
import { keepPollWakeups } from '../../main/core/serial/poll-wakeups'
import { InstrumentLog } from './instrument-log'
import type { TestInstrument } from './test-lines'

/** The far end of a pty pair, as a test's instrument: writes lines, collects what it is sent. */
export class Instrument extends InstrumentLog implements TestInstrument {
  private constructor(readonly port: SerialPortStream) {
    super()
  }

  static async open(path: string): Promise<Instrument> {
    // The bridge's fix for bindings-cpp's lost wakeups (poll-wakeups.ts) holds for this end too.
    const binding = keepPollWakeups(autoDetect())
    const port = new SerialPortStream({ binding, path, baudRate: 115200, autoOpen: false })
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())))
    const instrument = new Instrument(port)
    // A pipe, not a 'data' listener: a test that pipes the port elsewhere and unpipes it would
    // otherwise pause it (the last unpipe stops the flow).
    port.pipe(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          instrument.heard(chunk)
          done()
        },
      }),
    )
    port.on('error', () => undefined)
    return instrument
  }

  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.port.write(data, (e) =>
        e ? reject(e) : this.port.drain((d) => (d ? reject(d) : resolve())),
      ),
    )
  }

  async close(): Promise<void> {
    if (!this.port.isOpen) return
    await new Promise<void>((resolve) => this.port.close(() => resolve()))
  }
}
