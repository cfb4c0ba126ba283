import type { WriteEncoding } from './wire.js'

export interface PollOptions {
  /** How often the command is sent. */
  intervalMs: number
  /** How long each reply may take (the bridge's default when not given). */
  timeoutMs?: number
  /** Only a reply matching this counts as the poll's answer. */
  expect?: string | RegExp
  /** How `command` is written: `utf8` text (default), `hex` or `base64` bytes. */
  encoding?: WriteEncoding
  /** Keep polling after this client disconnects (the bridge keeps it in its settings). */
  persist?: boolean
}

export interface StartPollMessage {
  type: 'startPoll'
  port: string
  name: string
  command: string
  intervalMs: number
  timeoutMs?: number
  expect?: string
  encoding?: WriteEncoding
  persist?: boolean
}

/** The `startPoll` request, with only the fields the caller gave (requests are strict). */
export function startPollMessage(
  port: string,
  name: string,
  command: string,
  options: PollOptions,
): StartPollMessage {
  const message: StartPollMessage = {
    type: 'startPoll',
    port,
    name,
    command,
    intervalMs: options.intervalMs,
  }
  if (options.timeoutMs !== undefined) message.timeoutMs = options.timeoutMs
  if (options.expect !== undefined) message.expect = patternSource(options.expect)
  if (options.encoding !== undefined) message.encoding = options.encoding
  if (options.persist !== undefined) message.persist = options.persist
  return message
}

export function patternSource(pattern: string | RegExp): string {
  return typeof pattern === 'string' ? pattern : pattern.source
}

/**
 * The polls this client started and that end when it disconnects (not `persist`): started
 * again after each reconnect, until `stopPoll`.
 */
export class PollRegistry {
  private readonly polls = new Map<string, StartPollMessage>()

  add(message: StartPollMessage): void {
    if (message.persist) return
    this.polls.set(key(message.port, message.name), message)
  }

  remove(port: string, name: string): void {
    this.polls.delete(key(port, name))
  }

  all(): StartPollMessage[] {
    return [...this.polls.values()]
  }
}

const key = (port: string, name: string): string => JSON.stringify([port, name])
