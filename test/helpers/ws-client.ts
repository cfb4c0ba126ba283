import WebSocket from 'ws'
import type { ServerMessage } from '../../common/protocol'

export interface Received {
  data: string
  binary: boolean
}

/** A real `ws` client that records everything it receives, for asserting in order. */
export class TestClient {
  readonly received: Received[] = []
  private waiters: Array<() => void> = []
  closed: Promise<{ code: number; reason: string }>

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, binary) => {
      this.received.push({ data: binary ? (data as Buffer).toString('hex') : String(data), binary })
      for (const w of this.waiters.splice(0)) w()
    })
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    )
    this.closed.then(() => this.waiters.splice(0).forEach((w) => w()))
  }

  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options)
      const client = new TestClient(ws)
      ws.once('open', () => resolve(client))
      ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
      )
      ws.once('error', reject)
    })
  }

  /** Rejects with the HTTP status the server refused the upgrade with. */
  static async refusal(url: string, options: WebSocket.ClientOptions = {}): Promise<number> {
    try {
      const c = await TestClient.connect(url, options)
      c.ws.close()
      throw new Error('expected the upgrade to be refused')
    } catch (error) {
      const status = (error as { status?: number }).status
      if (status === undefined) throw error
      return status
    }
  }

  /** The status and plain-text body of a refused upgrade. */
  static refusedWith(
    url: string,
    options: WebSocket.ClientOptions = {},
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options)
      ws.once('open', () => {
        ws.close()
        reject(new Error('expected the upgrade to be refused'))
      })
      ws.once('error', () => undefined)
      ws.once('unexpected-response', (_req, res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
    })
  }

  send(message: object | string): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message))
  }

  messages(): ServerMessage[] {
    return this.received
      .filter((r) => !r.binary && r.data.startsWith('{'))
      .map((r) => JSON.parse(r.data) as ServerMessage)
  }

  /** Waits for the first received item (from `from` on) that matches. */
  async next<T>(
    match: (r: Received) => T | undefined,
    { timeoutMs = 5000, from = 0, what = 'a message' } = {},
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      for (let i = from; i < this.received.length; i++) {
        const hit = match(this.received[i]!)
        if (hit !== undefined) return hit
      }
      const left = deadline - Date.now()
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${what}; got ${JSON.stringify(this.received.slice(-5))}`,
        )
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(t)
          resolve()
        })
      })
    }
  }

  /** Waits for a JSON message of the given type (and matching `where`). */
  nextMessage<K extends ServerMessage['type']>(
    type: K,
    where: (m: Extract<ServerMessage, { type: K }>) => boolean = () => true,
    options: { timeoutMs?: number; from?: number } = {},
  ): Promise<Extract<ServerMessage, { type: K }>> {
    return this.next(
      (r) => {
        if (r.binary || !r.data.startsWith('{')) return undefined
        const m = JSON.parse(r.data) as ServerMessage
        return m.type === type && where(m as Extract<ServerMessage, { type: K }>)
          ? (m as Extract<ServerMessage, { type: K }>)
          : undefined
      },
      { ...options, what: `a "${type}" message` },
    )
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return
    this.ws.close()
    await this.closed
  }
}
