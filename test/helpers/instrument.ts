import { Writable } from 'node:stream'
import { SerialPort } from 'serialport'
import { InstrumentLog } from './instrument-log'
import type { TestInstrument } from './test-lines'

/** The far end of a pty pair, as a test's instrument: writes lines, collects what it is sent. */
export class Instrument extends InstrumentLog implements TestInstrument {
  private constructor(readonly port: SerialPort) {
    super()
  }

  static async open(path: string): Promise<Instrument> {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false })
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
