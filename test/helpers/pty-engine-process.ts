import type { PortSettingsInput, SettingsInput } from '../../common/settings-schema'
import { EngineProcess } from './engine-process'
import { Instrument } from './instrument'
import { SocatPair } from './socat-pair'

/**
 * `startPtyBridge` with the engine in its own process (to measure its memory): port `port.id`
 * open on a fresh socat pty pair, the test's instrument on the other end.
 */
export class PtyEngineProcess {
  private constructor(
    readonly pty: SocatPair,
    readonly engine: EngineProcess,
    public instrument: Instrument,
  ) {}

  static async start(
    name: string,
    port: Omit<PortSettingsInput, 'path'> & { id: string },
    settings: SettingsInput = {},
  ): Promise<PtyEngineProcess> {
    const pty = new SocatPair(name)
    await pty.plug()
    const engine = await EngineProcess.start({ ...settings, ports: [{ ...port, path: pty.a }] })
    await engine.openPort(port.id)
    return new PtyEngineProcess(pty, engine, await Instrument.open(pty.b))
  }

  /** A fresh instrument on the same line (the previous one's unread bytes are gone with it). */
  async reopenInstrument(): Promise<Instrument> {
    await this.instrument.close()
    this.instrument = await Instrument.open(this.pty.b)
    return this.instrument
  }

  async stop(): Promise<void> {
    await this.instrument.close()
    await this.engine.stop()
    await this.pty.dispose()
  }
}
