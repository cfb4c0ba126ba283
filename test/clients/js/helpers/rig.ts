import assert from 'node:assert/strict'
import {
  connect,
  Frame,
  type Bridge,
  type ConnectionEvent,
  type ConnectOptions,
  type PortStream,
  type StreamItem,
} from '../../../../clients/js/src/index'
import { Instrument } from '../../../helpers/instrument'
import { SocatPair } from '../../../helpers/socat-pair'
import { waitFor } from '../../../helpers/wait'
import { TestClient } from '../../../helpers/ws-client'
import { BridgeProcess } from './bridge-process'
import { TcpProxy } from './tcp-proxy'

/**
 * Headless mode with one port, `meter`, on a fresh socat pty (with `port`'s settings added, e.g.
 * `parse`); the test plays the instrument.
 */
export class MeterRig {
  private constructor(
    readonly pty: SocatPair,
    readonly headless: BridgeProcess,
    public meter: Instrument,
  ) {}

  static async start(server: object = {}, port: object = {}): Promise<MeterRig> {
    const pty = new SocatPair('meter')
    let headless: BridgeProcess | undefined
    try {
      await pty.plug()
      headless = await BridgeProcess.start({
        server: { port: 0, ...server },
        ports: [{ id: 'meter', path: pty.a, baudRate: 115200, ...port }],
      })
      await headless.waitForStderr(/^port meter .* open$/)
      return new MeterRig(pty, headless, await Instrument.open(pty.b))
    } catch (error) {
      await headless?.stop()
      await pty.dispose()
      throw error
    }
  }

  /** Kills headless mode (a crash), starts it again on its port; resolves with when it was back. */
  async crashAndRestart(): Promise<number> {
    await this.headless.kill('SIGKILL')
    const from = this.headless.stderr.all.length
    await this.headless.restart()
    const back = Date.now()
    await this.headless.waitForStderr(/^port meter .* open$/, from)
    return back
  }

  async stop(): Promise<void> {
    await this.meter.close()
    await this.headless.stop()
    await this.pty.dispose()
  }
}

export interface TestedClient {
  bridge: Bridge
  /** Every connection event, in order. */
  events: ConnectionEvent[]
  /** Resolves once the connection is open again after event number `from`. */
  reconnected(from: number): Promise<unknown>
}

/** The clients a test made (and the proxies they go through), all closed by `closeAll()`. */
export class Clients {
  private readonly bridges: Bridge[] = []
  private readonly proxies: TcpProxy[] = []
  private readonly witnesses: TestClient[] = []

  /** A client straight to `url`, recording its connection events. */
  async direct(url: string, options: ConnectOptions = {}): Promise<TestedClient> {
    const bridge = await connect(url, { heartbeatMs: 0, ...options })
    this.bridges.push(bridge)
    const events: ConnectionEvent[] = []
    bridge.onConnection((e) => events.push(e))
    const reconnected = (from: number) =>
      waitFor(() => events.slice(from).some((e) => e.state === 'open'), {
        what: 'the reconnection',
        timeoutMs: 20_000,
      })
    return { bridge, events, reconnected }
  }

  /** A client through a fresh TCP proxy, retrying fast so that tests need not wait. */
  async viaProxy(
    url: string,
    options: ConnectOptions = {},
  ): Promise<TestedClient & { proxy: TcpProxy }> {
    const proxy = await TcpProxy.start(url)
    this.proxies.push(proxy)
    const client = await this.direct(proxy.url, {
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      ...options,
    })
    return { ...client, proxy }
  }

  /** A plain `ws` client straight to the bridge, subscribed to `port`: it sees every seq. */
  async witness(url: string, port = 'meter'): Promise<TestClient> {
    const witness = await TestClient.connect(`${url}/ws`)
    this.witnesses.push(witness)
    witness.send({ type: 'subscribe', ports: [port], id: 'witness' })
    await witness.nextMessage('subscribed')
    return witness
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.bridges.splice(0).map((b) => b.close()))
    await Promise.all(this.witnesses.splice(0).map((w) => w.close()))
    await Promise.all(this.proxies.splice(0).map((p) => p.close()))
  }
}

/** Takes the next `count` items of a stream (the stream stays open); fails after `timeoutMs`. */
export async function take(
  stream: PortStream,
  count: number,
  timeoutMs = 20_000,
): Promise<StreamItem[]> {
  const items: StreamItem[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const got = items.map(String).join(' | ')
      reject(new Error(`${count} items not within ${timeoutMs} ms; got ${items.length}: ${got}`))
    }, timeoutMs)
  })
  try {
    while (items.length < count) {
      const next = await Promise.race([stream.next(), late])
      assert.equal(next.done, false, 'the stream ended early')
      items.push(next.value as StreamItem)
    }
    return items
  } finally {
    clearTimeout(timer)
  }
}

/** The items, asserted to be frames. */
export function frames(items: StreamItem[]): Frame[] {
  return items.map((item) => {
    assert.ok(item instanceof Frame, `expected a frame, got ${String(item)}`)
    return item
  })
}
