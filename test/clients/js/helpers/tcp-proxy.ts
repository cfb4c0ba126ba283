import { connect, createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

/**
 * A real TCP hop between a client and the bridge, to break the connection while the bridge
 * keeps running: `cut()` drops every connection, `down()` refuses new ones until `up()`,
 * `freeze()` keeps the connections open but stops carrying bytes (a dead Wi-Fi link).
 */
export class TcpProxy {
  private readonly pairs = new Set<[Socket, Socket]>()
  private refusing = false
  private frozen = false
  /** Connections accepted and forwarded so far. */
  accepted = 0

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(targetUrl: string): Promise<TcpProxy> {
    const target = new URL(targetUrl)
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const proxy = new TcpProxy(server, `ws://127.0.0.1:${(server.address() as AddressInfo).port}`)
    server.on('connection', (client) => proxy.accept(client, target))
    return proxy
  }

  get connections(): number {
    return this.pairs.size
  }

  /** Drops every connection now (both sides see a reset, as on a network failure). */
  cut(): void {
    for (const [a, b] of this.pairs) {
      a.resetAndDestroy()
      b.resetAndDestroy()
    }
    this.pairs.clear()
  }

  down(): void {
    this.refusing = true
    this.cut()
  }

  up(): void {
    this.refusing = false
    this.frozen = false
  }

  freeze(): void {
    this.frozen = true
    for (const [a, b] of this.pairs) {
      a.unpipe(b)
      b.unpipe(a)
      a.pause()
      b.pause()
    }
  }

  async close(): Promise<void> {
    this.cut()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private accept(client: Socket, target: URL): void {
    if (this.refusing || this.frozen) {
      client.resetAndDestroy()
      return
    }
    this.accepted += 1
    const upstream = connect(Number(target.port), target.hostname)
    const pair: [Socket, Socket] = [client, upstream]
    this.pairs.add(pair)
    const drop = (): void => {
      if (!this.pairs.delete(pair)) return
      client.destroy()
      upstream.destroy()
    }
    for (const socket of pair) {
      socket.on('error', drop)
      socket.on('close', drop)
    }
    client.pipe(upstream)
    upstream.pipe(client)
  }
}
