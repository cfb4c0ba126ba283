import { SerialPort } from 'serialport'
import { DelimiterParser } from '@serialport/parser-delimiter'
import { waitFor } from './wait'

/** The far end of a pty pair, as a test's instrument: writes lines, collects what it is sent. */
export class Instrument {
  readonly received: Buffer[] = []
  readonly lines: string[] = []
  private constructor(readonly port: SerialPort) {}

  static async open(path: string): Promise<Instrument> {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false })
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())))
    const instrument = new Instrument(port)
    port.on('data', (chunk: Buffer) => instrument.received.push(chunk))
    port
      .pipe(new DelimiterParser({ delimiter: '\n' }))
      .on('data', (l: Buffer) => instrument.lines.push(l.toString()))
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

  bytes(): Buffer {
    return Buffer.concat(this.received)
  }

  waitForLine(line: string, timeoutMs = 5000): Promise<true> {
    return waitFor(() => this.lines.includes(line), {
      what: `instrument to receive "${line}"`,
      timeoutMs,
    })
  }

  async close(): Promise<void> {
    if (!this.port.isOpen) return
    await new Promise<void>((resolve) => this.port.close(() => resolve()))
  }
}
