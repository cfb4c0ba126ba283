import { createAdminChannel } from '../../main/admin/admin-channel'
import { faultsToStderr } from '../../main/core/fault-log'
import { createEngine } from '../../main/core/engine'
import { settingsSchema } from '../../common/settings-schema'

/**
 * An engine in its own process, so a test can measure its memory (after `gc()`) apart from the
 * test's own clients. Started by `EngineProcess`; answers its requests over the IPC channel.
 */
const settings = settingsSchema.parse(JSON.parse(process.argv[2] ?? '{}'))
const adminToken = process.argv[3] || null
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')

const engine = createEngine({
  settings,
  deviceListIntervalMs: 60_000,
  extensions: adminToken
    ? [createAdminChannel(() => engine, adminToken, { logFault: faultsToStderr })]
    : [],
})

type Request = { id: number; op: string; args?: unknown }

const ops: Record<string, (args: never) => unknown> = {
  memory() {
    // Twice: the first pass can leave finalizers' garbage for the second.
    gc()
    gc()
    const m = process.memoryUsage()
    return { heapUsed: m.heapUsed, external: m.external, rss: m.rss }
  },
  ports: () => engine.listPorts(),
  clients: () => engine.listClients(),
  /** The server side of each client: whether it is closing, and its unsent bytes. */
  sockets: () =>
    [...engine.server().registry.all()].map((c) => ({
      id: c.id,
      readyState: c.ws.readyState,
      bufferedAmount: c.ws.bufferedAmount,
    })),
  openPort: (id: string) => engine.openPort(id),
  /** Resolves as soon as the server starts closing client `id` (checked in this process). */
  closing: (id: string) =>
    new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const ws = engine.server().registry.get(id)?.ws
        if (ws && ws.readyState === ws.OPEN) return
        clearInterval(timer)
        resolve()
      }, 2)
    }),
}

process.on('message', (request: Request) => {
  void (async () => {
    try {
      const op = ops[request.op]
      if (!op) throw new Error(`no op ${request.op}`)
      process.send!({ id: request.id, result: await op(request.args as never) })
    } catch (error) {
      process.send!({ id: request.id, error: (error as Error).message })
    }
  })()
})

const status = await engine.start()
process.send!({ ready: status.url, error: status.error })
