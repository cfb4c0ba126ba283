import type { ClientPoolApi, ClientReport, QueryResult } from './child-api'
import { forkChild, type ChildHandle } from './child-rpc'
import { onCleanup } from './cleanup-stack'
import { LatencyHistogram } from './latency-histogram'

/** Benchmark clients spread over several processes, addressed as one list. */
export class ClientGroup {
  private constructor(
    private readonly pools: { handle: ChildHandle<ClientPoolApi>; size: number }[],
  ) {}

  /** `perProcess` bounds how many clients one process serves, so no client process is the bottleneck. */
  static async spawn(total: number, perProcess: number, epoch: string): Promise<ClientGroup> {
    const count = Math.max(1, Math.ceil(total / perProcess))
    const pools = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const handle = await forkChild<ClientPoolApi>('./client-pool.ts', [epoch, `p${i}`])
        onCleanup(`client pool ${i}`, () => handle.stop())
        const size = Math.floor(total / count) + (i < total % count ? 1 : 0)
        return { handle, size }
      }),
    )
    return new ClientGroup(pools)
  }

  /** Client processes, for measuring what the load generator itself costs. */
  get pids(): number[] {
    return this.pools.map((p) => p.handle.pid)
  }

  get size(): number {
    return this.pools.reduce((n, p) => n + p.size, 0)
  }

  private each<T>(f: (p: ChildHandle<ClientPoolApi>, size: number) => Promise<T>): Promise<T[]> {
    return Promise.all(this.pools.map((p) => f(p.handle, p.size)))
  }

  private locate(index: number): { handle: ChildHandle<ClientPoolApi>; local: number } {
    let local = index
    for (const p of this.pools) {
      if (local < p.size) return { handle: p.handle, local }
      local -= p.size
    }
    throw new Error(`client ${index} out of range`)
  }

  async connect(url: string, concurrency = 50): Promise<{ opened: number; failed: number }> {
    const results = await this.each((h, count) =>
      h.call('connect', { url, count, concurrency }, 120_000),
    )
    const failed = results.reduce((n, r) => n + r.failed, 0)
    const firstError = results.find((r) => r.firstError)?.firstError
    if (failed > 0)
      console.error(`  ${failed} of ${this.size} clients failed to connect: ${firstError}`)
    return { opened: this.size - failed, failed }
  }

  async track(expected: number): Promise<void> {
    await this.each((h) => h.call('track', { expected }))
  }

  async resetLatency(): Promise<void> {
    await this.each((h) => h.call('resetLatency', {}))
  }

  async progress(): Promise<{ unique: number[]; closed: number }> {
    const parts = await this.each((h) => h.call('progress', {}))
    return {
      unique: parts.flatMap((p) => p.unique),
      closed: parts.reduce((n, p) => n + p.closed, 0),
    }
  }

  async report(): Promise<{ latency: LatencyHistogram; clients: ClientReport[] }> {
    const parts = await this.each((h) => h.call('report', {}, 60_000))
    return {
      latency: LatencyHistogram.from(parts.map((p) => p.latency)),
      clients: parts.flatMap((p) => p.clients),
    }
  }

  pause(index: number): Promise<void> {
    const { handle, local } = this.locate(index)
    return handle.call('pause', { index: local })
  }

  resume(index: number): Promise<void> {
    const { handle, local } = this.locate(index)
    return handle.call('resume', { index: local })
  }

  /** The first pool only: enough for single-client scenarios. */
  first(): ChildHandle<ClientPoolApi> {
    const p = this.pools[0]
    if (!p) throw new Error('empty client group')
    return p.handle
  }

  async query(args: Parameters<ClientPoolApi['query']>[0]): Promise<{
    latency: LatencyHistogram
    result: Omit<QueryResult, 'latency'>
  }> {
    const parts = await this.each((h) => h.call('query', args, 300_000))
    const sum = (k: 'answered' | 'misrouted' | 'timeouts' | 'errors') =>
      parts.reduce((n, p) => n + p[k], 0)
    return {
      latency: LatencyHistogram.from(parts.map((p) => p.latency)),
      result: {
        answered: sum('answered'),
        misrouted: sum('misrouted'),
        timeouts: sum('timeouts'),
        errors: sum('errors'),
      },
    }
  }

  async closeAll(): Promise<void> {
    await this.each((h) => h.call('closeAll', {}))
  }
}

/**
 * Polls until every client (but those in `ignore`) holds all `expected` lines, or nothing new
 * arrived for `stallMs`, or `deadlineMs` passed. Bounded in time either way.
 */
export async function waitDelivered(
  group: ClientGroup,
  expected: number,
  opts: { stallMs: number; deadlineMs: number; ignore?: Set<number> },
): Promise<{ complete: boolean }> {
  const deadline = Date.now() + opts.deadlineMs
  let lastTotal = -1
  let lastChange = Date.now()
  while (Date.now() < deadline) {
    const { unique } = await group.progress()
    const waiting = unique.filter((n, i) => !opts.ignore?.has(i) && n < expected)
    if (waiting.length === 0) return { complete: true }
    const total = unique.reduce((a, b) => a + b, 0)
    if (total !== lastTotal) {
      lastTotal = total
      lastChange = Date.now()
    } else if (Date.now() - lastChange > opts.stallMs) return { complete: false }
    await new Promise((r) => setTimeout(r, 100))
  }
  return { complete: false }
}
