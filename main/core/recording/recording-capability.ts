import type { PortInfo, RecordingStatus, ServerMessage } from '../../../common/protocol'
import type { RecordingSettings } from '../../../common/settings-schema'
import { SIM_REPLAY_PATH } from '../../../common/sim-paths'
import type { Capability, CapabilityFactory } from '../capability'
import { delimiterBytes } from '../serial/framing'
import { statusMessage } from '../server/status-message'
import { eventForTransition } from './port-events'
import { PortRecorder } from './port-recorder'
import { recordingOperations } from './recording-operations'
import { recordingRoutes } from './recording-routes'
import { recordingsRoot } from './recording-paths'
import { openReplay, type ReplayPort } from './replay-port'
import { sweepOldRecordings } from './retention'

const MiB = 1024 * 1024
const HOUR_MS = 60 * 60 * 1000
export const RECORDING_OFF: RecordingStatus = {
  state: 'off',
  file: null,
  bytes: 0,
  frames: 0,
  since: null,
  dropped: 0,
}

/**
 * Recording and replay (docs/recording.md): follows every port's frames and state on the
 * bus and records the ports whose `record.enabled` is on, each with its own recorder beside
 * the stream; answers the `record` message; provides the `sim:replay` device.
 */
export const recordingCapability: CapabilityFactory = (ctx) => {
  const recorders = new Map<string, { recorder: PortRecorder; tx: boolean }>()
  /** Why a port that should record has no recorder (no folder set, an id that is no name). */
  const failures = new Map<string, string>()
  const stopping = new Map<string, Promise<void>>()
  const states = new Map<string, string>()
  const txSeq = new Map<string, number>()
  const replays = new Map<string, ReplayPort>()
  let started = false
  let section = JSON.stringify(ctx.settings().recording)
  let sweepTimer: NodeJS.Timeout | null = null
  let lastSweep = 0

  const root = (): string =>
    recordingsRoot(ctx.settings().recording, ctx.host.recordingsDir ?? null)
  const liveFiles = (): Set<string> =>
    new Set([...recorders.values()].flatMap(({ recorder }) => recorder.currentFile()?.path ?? []))

  const sweep = (): void => {
    const keepDays = ctx.settings().recording.keepDays
    lastSweep = ctx.now()
    if (keepDays === null) return
    let dir: string
    try {
      dir = root()
    } catch {
      return
    }
    void sweepOldRecordings(dir, keepDays, ctx.now(), liveFiles()).then(
      (removed) =>
        removed.length > 0 && ctx.log(`recording: deleted ${removed.length} old file(s)`),
      (error: unknown) => ctx.log(`recording: could not delete old files: ${String(error)}`),
    )
  }

  const begin = (info: PortInfo, reason: string): void => {
    const settings: RecordingSettings = ctx.settings().recording
    try {
      const recorder = new PortRecorder({
        port: info.id,
        root: root(),
        rotateBytes: settings.rotateMiB * MiB,
        rotateDaily: settings.rotateDaily,
        reason,
        describe: () => {
          const now = ctx.ports.get(info.id)?.info()
          return now ? { path: now.path, state: now.state } : {}
        },
        now: ctx.now,
        changed: () => ctx.portChanged(info.id),
        finished: () => ctx.now() - lastSweep > 60_000 && sweep(),
      })
      failures.delete(info.id)
      recorders.set(info.id, { recorder, tx: info.settings.record.tx })
    } catch (error) {
      failures.set(info.id, (error as Error).message)
    }
  }

  const end = (id: string, reason: string): Promise<void> => {
    failures.delete(id)
    const entry = recorders.get(id)
    if (!entry) return stopping.get(id) ?? Promise.resolve()
    recorders.delete(id)
    const done = entry.recorder
      .stop(reason)
      .catch((error: unknown) => ctx.log(`recording ${id}: ${String(error)}`))
      .finally(() => {
        stopping.delete(id)
        // The status that switched it off was told before the recorder went: tell it again.
        ctx.portChanged(id)
      })
    stopping.set(id, done)
    return done
  }

  /** Starts or stops the port's recorder to match its settings; records its change of state. */
  const follow = (info: PortInfo): void => {
    const before = states.get(info.id)
    states.set(info.id, info.state)
    const wanted = started && info.settings.record.enabled
    const entry = recorders.get(info.id)
    if (wanted && !entry && !failures.has(info.id)) begin(info, 'enabled')
    else if (!wanted && (entry || failures.has(info.id))) void end(info.id, 'disabled')
    else if (entry) {
      entry.tx = info.settings.record.tx
      const change = eventForTransition(before, info)
      if (change) entry.recorder.event(change.event, change.fields)
    }
  }

  ctx.bus.on('rx', (frame) => recorders.get(frame.port)?.recorder.pushRx(frame))
  ctx.bus.on('tx', ({ port, bytes, ts }) => {
    const seq = (txSeq.get(port) ?? 0) + 1
    txSeq.set(port, seq)
    const entry = recorders.get(port)
    if (entry?.tx) entry.recorder.pushTx(bytes, ts, seq)
  })
  ctx.bus.on('status', follow)
  ctx.bus.on('removed', (info) => {
    states.delete(info.id)
    replays.delete(info.id)
    void end(info.id, 'port removed')
  })
  ctx.bus.on('settings', (settings) => {
    const next = JSON.stringify(settings.recording)
    if (next === section || !started) return void (section = next)
    section = next
    // A new folder or new rotation: each recording goes on in a new file with the new settings.
    for (const id of [...recorders.keys(), ...failures.keys()]) {
      void end(id, 'recording settings changed').then(() => {
        const controller = ctx.ports.get(id)
        if (controller) follow(ctx.ports.info(controller))
      })
    }
    sweep()
  })

  const operations = recordingOperations({
    root,
    live: () => [...recorders.values()].flatMap(({ recorder }) => recorder.currentFile() ?? []),
  })

  const setRecording = async (port: string, enabled: boolean) => {
    if (!ctx.ports.has(port)) return { ok: false as const, errors: [`no port with id "${port}"`] }
    const changed = await ctx.updateSettings((s) => ({
      ...s,
      ports: s.ports.map((p) => (p.id === port ? { ...p, record: { ...p.record, enabled } } : p)),
    }))
    if (!changed.ok) return changed
    await stopping.get(port)
    await recorders.get(port)?.recorder.ready()
    const controller = ctx.ports.get(port)!
    return { ok: true as const, value: ctx.ports.info(controller) }
  }

  const capability: Capability = {
    name: 'recording',
    features: ['record'],
    start() {
      started = true
      for (const info of ctx.ports.ports()) follow(info)
      sweep()
      sweepTimer = setInterval(sweep, HOUR_MS)
      sweepTimer.unref()
    },
    async stop() {
      started = false
      if (sweepTimer) clearInterval(sweepTimer)
      await Promise.all([...recorders.keys()].map((id) => end(id, 'shutdown')))
      await Promise.all(stopping.values())
    },
    describePort(id) {
      const failure = failures.get(id)
      const recording: RecordingStatus =
        recorders.get(id)?.recorder.status() ??
        (failure ? { ...RECORDING_OFF, state: 'error', error: failure } : RECORDING_OFF)
      const replay = replays.get(id)?.status()
      return replay ? { recording, replay } : { recording }
    },
    handlers: {
      async record(message, client): Promise<ServerMessage> {
        if (client.readOnly) {
          return { type: 'error', code: 'FORBIDDEN', message: 'this client is read-only' }
        }
        if (!ctx.ports.has(message.port)) {
          return { type: 'error', code: 'UNKNOWN_PORT', message: `unknown port: ${message.port}` }
        }
        const result = await setRecording(message.port, message.enabled)
        if (!result.ok)
          return { type: 'error', code: 'INTERNAL', message: result.errors.join('; ') }
        return statusMessage(result.value)
      },
    },
    routes: recordingRoutes({
      hasPort: (id) => ctx.ports.has(id),
      setRecording,
      listRecordings: operations.listRecordings,
    }),
    operations: {
      setRecording,
      listRecordings: operations.listRecordings,
      deleteRecording: operations.deleteRecording,
      exportRecordingCsv: operations.exportRecordingCsv,
      recordingsFolder: operations.recordingsFolder,
      recordingFilePath: operations.recordingFilePath,
    },
    simDevices: new Map([
      [
        SIM_REPLAY_PATH,
        async (options, port) => {
          if (!port?.replay) throw new Error('replay.file is not set')
          const { replay, framing } = port
          const device = await openReplay(options, {
            path: operations.replayPath(replay.file),
            file: replay.file,
            speed: replay.speed,
            loop: replay.loop,
            writes: replay.writes,
            // Line framing ends a frame at \n (and strips it), like a delimiter of \n.
            delimiter:
              framing.mode === 'delimiter'
                ? delimiterBytes(framing.delimiter)
                : framing.mode === 'line'
                  ? Buffer.from('\n')
                  : null,
            changed: () => ctx.portChanged(port.id),
            log: ctx.log,
          })
          replays.set(port.id, device)
          return device
        },
      ],
    ]),
  }
  return capability
}
