import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { settingsSchema, type SettingsInput } from '../common/settings-schema'
import type { Clock } from './bench-clock'
import type { InstrumentApi } from './child-api'
import { forkChild, type ChildHandle } from './child-rpc'
import { cleanupMark, cleanupTo, onCleanup } from './cleanup-stack'
import { ClientGroup } from './client-group'
import { startPtyPair } from './pty-pair'
import { startTarget, type RunningTarget, type TargetName } from './target-process'

/**
 * One scenario's world: a fresh pty pair, the instrument on one end, the target on the other,
 * and client processes on demand. Everything is stopped when the scenario ends, however it ends.
 */
export interface RigOptions {
  target: TargetName
  epoch: string
  clock: Clock
  /** Start the target with the V8 inspector open (for forced GC). */
  inspect?: boolean
  /** Leave starting the target to the scenario (Startup). */
  manualStart?: boolean
  /** Settings sections beside server and ports (S13: the MQTT uplink). */
  extraSettings?: Pick<SettingsInput, 'mqtt'>
  /** The baseline target's entry, when not the WebSocket pipeline. */
  baselineEntry?: string
  /** Record the port (S11): recordings go to `recordings/` beside the config, as headless does. */
  record?: boolean
}

export interface Rig {
  readonly portId: string
  /** The pty end the target opens (the instrument has the other). */
  readonly serialPath: string
  readonly settings: SettingsInput
  /** The folder of the config file (and of `recordings/`); removed when the rig stops. */
  readonly dir: string
  readonly instrument: ChildHandle<InstrumentApi>
  /** The running target (throws before it is started). */
  readonly target: RunningTarget
  streamUrl(): string
  controlUrl(): string
  launch(): Promise<RunningTarget>
  clients(total: number, perProcess?: number): Promise<ClientGroup>
}

export const PORT_ID = 'bench'
export const CLIENT_BUFFER_BYTES = 1024 * 1024
let rigCount = 0

export async function withRig<T>(opts: RigOptions, run: (rig: Rig) => Promise<T>): Promise<T> {
  const mark = cleanupMark()
  try {
    const pty = await startPtyPair(`sb-bench-${process.pid}-${++rigCount}`)
    const dir = mkdtempSync(join(tmpdir(), 'sb-bench-'))
    onCleanup('config dir', () => rmSync(dir, { recursive: true, force: true }))
    const settings: SettingsInput = {
      server: {
        host: '127.0.0.1',
        port: 0,
        maxClients: 2000,
        clientBufferBytes: CLIENT_BUFFER_BYTES,
      },
      ports: [
        {
          id: PORT_ID,
          path: pty.b,
          baudRate: 115200,
          framing: { mode: 'delimiter', delimiter: '\n' },
          ...(opts.record ? { record: { enabled: true, tx: true } } : {}),
        },
      ],
      ...opts.extraSettings,
    }
    settingsSchema.parse(settings)
    const configPath = join(dir, 'config.json')
    writeFileSync(configPath, JSON.stringify(settings))

    const instrument = await forkChild<InstrumentApi>('./instrument.ts', [opts.epoch])
    onCleanup('instrument', () => instrument.stop())
    await instrument.call('open', { path: pty.a })

    let running: RunningTarget | null = null
    const rig: Rig = {
      portId: PORT_ID,
      serialPath: pty.b,
      settings,
      dir,
      instrument,
      get target() {
        if (!running) throw new Error('target not started')
        return running
      },
      streamUrl: () => `${rig.target.url}/ports/${PORT_ID}`,
      controlUrl: () => `${rig.target.url}/ws`,
      async launch() {
        running = await startTarget(opts.target, configPath, opts.clock, {
          inspect: opts.inspect,
          baselineEntry: opts.baselineEntry,
        })
        return running
      },
      clients: (total, perProcess = 500) => ClientGroup.spawn(total, perProcess, opts.epoch),
    }
    if (!opts.manualStart) {
      await rig.launch()
      await provePipeline(rig)
    }
    return await run(rig)
  } finally {
    await cleanupTo(mark)
  }
}

/** Instrument → pty → target → client works end to end (the port may open after `listening`). */
export async function provePipeline(rig: Rig): Promise<void> {
  const mark = cleanupMark()
  try {
    const probe = await rig.clients(1)
    await probe.connect(rig.streamUrl())
    const frame = probe.first().call('awaitFrame', { timeoutMs: 20_000 }, 25_000)
    await rig.instrument.call('probe', { intervalMs: 10, max: 2000 })
    await frame
  } finally {
    await rig.instrument.call('stopProbe', {})
    await cleanupTo(mark)
  }
}
