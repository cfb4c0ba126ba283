import { pollSettingsSchema, type PollSettings } from '../../../common/polls/poll-settings'
import type { ClientMessage, ServerMessage } from '../../../common/protocol'
import type { Settings } from '../../../common/settings-schema'
import { formatIssues } from '../../../common/validation'
import type { CapabilityContext, ClientHandle } from '../capability'
import { SETTINGS_OWNER, type PollTable } from './poll-table'

/** Polls on one port at once, from its settings and all clients; one more is answered BUSY. */
export const MAX_POLLS_PER_PORT = 64

type ErrorMessage = Extract<ServerMessage, { type: 'error' }>
type Request<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>
type Answer<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>

/** Who asks: a control client, or a REST caller (whose polls are always `persist`). */
export type PollRequester = Pick<ClientHandle, 'id' | 'readOnly'>

export interface PollRequests {
  startPoll(
    message: Request<'startPoll'>,
    client: PollRequester,
  ): Promise<Answer<'pollStarted'> | ErrorMessage>
  stopPoll(
    message: Request<'stopPoll'>,
    client: PollRequester,
  ): Promise<Answer<'pollStopped'> | ErrorMessage>
}

const error = (code: ErrorMessage['code'], message: string): ErrorMessage => ({
  type: 'error',
  code,
  message,
})
const readOnly = () => error('FORBIDDEN', 'this client is read-only: it cannot run polls')
const unknownPort = (port: string) => error('UNKNOWN_PORT', `unknown port: ${port}`)

/**
 * `startPoll` and `stopPoll`, for the control endpoint and the REST API alike. A poll without
 * `persist` belongs to the client that started it; with `persist` it is saved into the port's
 * settings, where it outlives every client.
 */
export function pollRequests(table: PollTable, ctx: CapabilityContext): PollRequests {
  return {
    async startPoll(message, client) {
      if (client.readOnly) return readOnly()
      const { port, persist, name, type: _type, id: _id, ...fields } = message
      if (!ctx.ports.has(port)) return unknownPort(port)
      const parsed = pollSettingsSchema.safeParse({ name: name ?? table.freeName(port), ...fields })
      if (!parsed.success) return error('BAD_MESSAGE', formatIssues(parsed.error).join('; '))
      const poll = parsed.data
      const running = table.get(port, poll.name)
      const mayReplace =
        running === undefined ||
        running.owner === client.id ||
        (persist && running.owner === SETTINGS_OWNER)
      if (!mayReplace) {
        const whose =
          running.owner === SETTINGS_OWNER
            ? "from the port's settings"
            : `started by client ${running.owner}`
        const text = `name: a poll named "${poll.name}" already runs on port "${port}" (${whose})`
        return error('BAD_MESSAGE', text)
      }
      if (!running && table.count(port) >= MAX_POLLS_PER_PORT) {
        return error('BUSY', `${MAX_POLLS_PER_PORT} polls already run on port "${port}"`)
      }
      if (persist) {
        // Applied to the port like any settings change; the settings' poll takes over the name.
        const saved = await ctx.updateSettings((s) =>
          withPolls(s, port, (polls) => [...polls.filter((p) => p.name !== poll.name), poll]),
        )
        if (!saved.ok) return error('BAD_MESSAGE', saved.errors.join('; '))
      } else {
        table.start(port, poll, client.id)
      }
      return { type: 'pollStarted', port, name: poll.name, intervalMs: poll.intervalMs }
    },

    async stopPoll(message, client) {
      if (client.readOnly) return readOnly()
      const { port, name } = message
      if (!ctx.ports.has(port)) return unknownPort(port)
      const running = table.get(port, name)
      if (!running)
        return error('BAD_MESSAGE', `name: no poll named "${name}" runs on port "${port}"`)
      if (running.owner === SETTINGS_OWNER) {
        const saved = await ctx.updateSettings((s) =>
          withPolls(s, port, (polls) => polls.filter((p) => p.name !== name)),
        )
        if (!saved.ok) return error('BAD_MESSAGE', saved.errors.join('; '))
        await running.stop()
      } else if (running.owner !== client.id) {
        return error(
          'FORBIDDEN',
          `poll "${name}" was started by client ${running.owner}: only it can stop it`,
        )
      } else {
        await table.remove(port, name)
      }
      return { type: 'pollStopped', port, name }
    },
  }
}

function withPolls(
  settings: Settings,
  port: string,
  change: (polls: PollSettings[]) => PollSettings[],
): Settings {
  return {
    ...settings,
    ports: settings.ports.map((p) => (p.id === port ? { ...p, polls: change(p.polls) } : p)),
  }
}
