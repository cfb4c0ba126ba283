import { TokenBucket, type Spend } from './token-bucket'

/** REST callers remembered at once; the longest unseen is forgotten first (it starts full again). */
const MAX_NAMED = 1024

/**
 * Each client's budget of messages that reach a port (`server.maxMessagesPerSecond`): one
 * bucket per WebSocket client (kept with the client, gone with it) or per REST caller's key.
 */
export class MessageBudgets {
  private readonly byClient = new WeakMap<object, TokenBucket>()
  private readonly byKey = new Map<string, TokenBucket>()

  constructor(
    private readonly rate: () => number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Spends one message of `client` (a connected client object, or a REST caller's key). */
  spend(client: object | string): Spend {
    return this.bucket(client).spend(this.rate())
  }

  private bucket(client: object | string): TokenBucket {
    if (typeof client !== 'string') {
      let bucket = this.byClient.get(client)
      if (!bucket) this.byClient.set(client, (bucket = new TokenBucket(this.now)))
      return bucket
    }
    let bucket = this.byKey.get(client)
    if (bucket) this.byKey.delete(client)
    else bucket = new TokenBucket(this.now)
    // Re-inserted, so the Map's order is least recently seen first.
    this.byKey.set(client, bucket)
    if (this.byKey.size > MAX_NAMED) this.byKey.delete(this.byKey.keys().next().value!)
    return bucket
  }
}

/** What an endpoint asks before a client's message reaches a port. */
export interface MessageBudget {
  spend(client: object | string): Spend
  /** The words of the RATE_LIMITED answer, the same on every endpoint. */
  refusal(retryAfterMs: number): string
}

/** Budgets at `rate()` messages a second per client (read at each message). */
export function messageBudget(rate: () => number, now?: () => number): MessageBudget {
  const budgets = new MessageBudgets(rate, now)
  return {
    spend: (client) => budgets.spend(client),
    refusal: (retryAfterMs) =>
      `more than ${rate()} messages a second (server.maxMessagesPerSecond): ` +
      `not written; try again in ${retryAfterMs} ms`,
  }
}
