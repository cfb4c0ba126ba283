import {
  clientMessageSchema,
  type ClientMessage,
  type ServerMessage,
} from '../../../common/protocol'
import { parseStrictJson } from '../protocol/strict-json'
import { replyRule } from '../protocol/reply-rule'
import { encodeWrite } from '../protocol/write-payload'
import type { PortManager } from '../serial/port-manager'
import { formatIssues } from '../../../common/validation'
import type { ClientHandle, ControlHandlers, ResumeHandler, ResumeRequest } from '../capability'
import type { MessageBudget } from '../rate-limit/message-budgets'
import type { Client } from './client'
import { frameData, replyData } from './frame-encoding'
import { replayTarget } from './replay-target'
import { errorCodeOf } from './request-errors'

export interface ControlContext {
  ports: PortManager
  /** Queries one client may have waiting or in progress (`server.maxQueuedQueriesPerClient`). */
  maxQueriesPerClient: () => number
  /** Subscriptions changed: the registry tells its listeners. */
  changed(): void
  /** Message types the engine's capabilities answer (polls, release, record, ...). */
  handlers: ControlHandlers
  /** Answers `since` (feature `resume`); without it `since` is refused. */
  resume?: ResumeHandler
  /** Messages of a client that reach a port (`server.maxMessagesPerSecond`). */
  budget: MessageBudget
  /** A capability collects `samples` batches (feature `samples`). */
  samples: boolean
}

type ErrorMessage = Extract<ServerMessage, { type: 'error' }>

const fail = (code: ErrorMessage['code'], message: string, id?: unknown): ErrorMessage =>
  id === undefined ? { type: 'error', code, message } : { type: 'error', id, code, message }

/** Parses one control frame; malformed input gets an answer, never an exception. */
export function parseControlMessage(
  raw: string,
): { ok: true; message: ClientMessage } | { ok: false; error: ErrorMessage } {
  const read = parseStrictJson(raw)
  if (!read.ok) {
    const why = read.problem === 'syntax' ? `malformed JSON: ${read.message}` : read.message
    return { ok: false, error: fail('BAD_MESSAGE', why) }
  }
  const value = read.value
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      error: fail('BAD_MESSAGE', 'a control message is a JSON object with a "type"'),
    }
  }
  const id = (value as { id?: unknown }).id
  const parsed = clientMessageSchema.safeParse(value)
  if (!parsed.success)
    return { ok: false, error: fail('BAD_MESSAGE', formatIssues(parsed.error).join('; '), id) }
  return { ok: true, message: parsed.data }
}

/** Handles one message from a `/ws` client. */
export async function handleControlMessage(
  client: Client,
  raw: string,
  ctx: ControlContext,
): Promise<void> {
  const parsed = parseControlMessage(raw)
  if (!parsed.ok) return client.sendMessage(parsed.error)
  const message = parsed.message
  const reply = (m: ServerMessage): void => client.sendMessage(m)
  switch (message.type) {
    case 'ping':
      return reply(withId({ type: 'pong' }, message.id))
    case 'list':
      return reply(withId({ type: 'ports', ports: ctx.ports.ports() }, message.id))
    case 'subscribe':
    case 'unsubscribe': {
      if (message.ports !== '*') {
        const unknown = message.ports.filter((p) => !ctx.ports.has(p))
        if (unknown.length > 0 && message.type === 'subscribe') {
          return reply(fail('UNKNOWN_PORT', `unknown port: ${unknown.join(', ')}`, message.id))
        }
      }
      const resume = message.type === 'subscribe' ? resumeOf(message) : null
      if (resume) {
        const refused = refuseResume(resume.since, ctx, message.id)
        if (refused) return reply(refused)
      }
      const samples = message.type === 'subscribe' ? message.samples : undefined
      if (samples && !ctx.samples) {
        const text = 'samples: not supported by this server'
        return reply(fail('BAD_MESSAGE', text, message.id))
      }
      applySubscription(client, message.type, message.ports, ctx)
      if (message.type === 'subscribe')
        client.setSamples(message.ports, samples?.intervalMs ?? null)
      ctx.changed()
      reply(withId(subscribedMessage(client, ctx), message.id))
      if (resume) ctx.resume!(replayTarget(client), resume)
      return
    }
    case 'write':
    case 'query': {
      if (client.readOnly) return reply(fail('FORBIDDEN', 'this client is read-only', message.id))
      const port = ctx.ports.get(message.port)
      if (!port) return reply(fail('UNKNOWN_PORT', `unknown port: ${message.port}`, message.id))
      const encoded = encodeWrite(message.data, message.encoding, port.settings)
      if (!encoded.ok) return reply(fail('BAD_MESSAGE', encoded.errors.join('; '), message.id))
      const limited = rateLimit(client, ctx, message.id)
      if (limited) return reply(limited)
      if (message.type === 'write') {
        try {
          const bytes = await port.write(encoded.value, client)
          return reply(withId({ type: 'ack', bytes }, message.id))
        } catch (error) {
          return replyError(error)
        }
      }
      const max = ctx.maxQueriesPerClient()
      if (client.queriesWaiting >= max) {
        const text = `this client already has ${max} queries waiting; wait for their answers`
        return reply(fail('BUSY', text, message.id))
      }
      const rule = replyRule(message)
      if (!rule.ok) return reply(fail('BAD_MESSAGE', rule.errors.join('; '), message.id))
      client.queriesWaiting += 1
      try {
        const frames = await port.query(encoded.value, message.timeoutMs, client, rule.value)
        // `lines` only when asked for: a v1 reply has exactly the fields it always had.
        const body = message.expectLines === undefined ? frameData(frames[0]!) : replyData(frames)
        return reply(withId({ type: 'reply', port: port.id, ...body }, message.id))
      } catch (error) {
        return replyError(error)
      } finally {
        client.queriesWaiting -= 1
      }
    }
    default:
      return answerByCapability(client, message as ClientMessage, ctx)
  }

  function replyError(error: unknown): void {
    const code = errorCodeOf(error)
    // Nobody is left to tell when the client has gone.
    if (code !== null) reply(fail(code, (error as Error).message, message.id))
  }
}

/** Message types that a capability of the engine answers (polls, release, record, ...). */
async function answerByCapability(
  client: Client,
  message: ClientMessage,
  ctx: ControlContext,
): Promise<void> {
  const handler = ctx.handlers[message.type] as
    | ((
        m: ClientMessage,
        c: ClientHandle,
      ) => Promise<ServerMessage | undefined> | ServerMessage | undefined)
    | undefined
  if (!handler) {
    return client.sendMessage(
      fail('BAD_MESSAGE', `"${message.type}" is not supported by this server`, message.id),
    )
  }
  // Every capability's message acts on a port (polls, release, record).
  const limited = rateLimit(client, ctx, message.id)
  if (limited) return client.sendMessage(limited)
  const answer = await handler(message, client.handle)
  if (answer) client.sendMessage(withId(answer, message.id))
}

/** RATE_LIMITED past `server.maxMessagesPerSecond`; null when the message may go. */
function rateLimit(client: Client, ctx: ControlContext, id: unknown): ErrorMessage | null {
  const spent = ctx.budget.spend(client)
  return spent.ok ? null : fail('RATE_LIMITED', ctx.budget.refusal(spent.retryAfterMs), id)
}

/** The schema has checked that `since` comes with its epoch. */
function resumeOf(message: Extract<ClientMessage, { type: 'subscribe' }>): ResumeRequest | null {
  const { since, epoch } = message
  return since !== undefined && epoch !== undefined ? { since, epoch } : null
}

/** `since` needs the feature, and names ports that exist (with `"*"` nothing else checked them). */
function refuseResume(
  since: Record<string, number>,
  ctx: ControlContext,
  id: unknown,
): ErrorMessage | null {
  if (!ctx.resume) return fail('BAD_MESSAGE', 'since: this server does not offer "resume"', id)
  const unknown = Object.keys(since).filter((p) => !ctx.ports.has(p))
  return unknown.length > 0 ? fail('UNKNOWN_PORT', `unknown port: ${unknown.join(', ')}`, id) : null
}

function withId<M extends ServerMessage>(message: M, id: unknown): M {
  return id === undefined ? message : { ...message, id }
}

function applySubscription(
  client: Client,
  type: 'subscribe' | 'unsubscribe',
  ports: '*' | string[],
  ctx: ControlContext,
): void {
  if (type === 'subscribe') {
    if (ports === '*') client.allPorts = true
    else for (const p of ports) client.subscribe(p)
    return
  }
  if (ports === '*') return client.unsubscribe()
  if (client.allPorts) {
    // Leaving "*" for some ports: keep the rest explicitly.
    client.allPorts = false
    for (const info of ctx.ports.ports()) client.subscribe(info.id)
  }
  for (const p of ports) client.unsubscribe(p)
}

function subscriptionsOf(client: Client, ctx: ControlContext): string[] {
  return client.allPorts ? ctx.ports.ports().map((p) => p.id) : client.subscriptions
}

/** `samples` lists the ports it takes as batches, only when there are any (old clients see none). */
function subscribedMessage(
  client: Client,
  ctx: ControlContext,
): Extract<ServerMessage, { type: 'subscribed' }> {
  const ports = subscriptionsOf(client, ctx)
  const sampled = ports.flatMap((p) => {
    const ms = client.samplesMs(p)
    return ms === undefined ? [] : [[p, ms] as const]
  })
  return sampled.length > 0
    ? { type: 'subscribed', ports, samples: Object.fromEntries(sampled) }
    : { type: 'subscribed', ports }
}
