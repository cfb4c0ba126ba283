import type { Clock } from './bench-clock'
import type { ClientReport } from './child-api'
import type { LatencyHistogram } from './latency-histogram'
import type { TargetName } from './target-process'

/** What every scenario module exports, and the sizes `--quick` shrinks. */
export type Metrics = Record<string, number | string | boolean | null>

export interface Scale {
  s1Seconds: number
  s2Bytes: number
  s3Seconds: number
  s4Clients: number
  s5Bytes: number
  /** S5's second phase: ordinary traffic right after the push. */
  s5CalmSeconds: number
  s6Commands: number
  s7Queries: number
  s8Seconds: number
  s12Seconds: number
  s13Seconds: number
  s9Seconds: number
  s10Seconds: number
  startupRuns: number
}

export const fullScale: Scale = {
  s1Seconds: 10,
  s2Bytes: 20_000_000,
  s3Seconds: 10,
  s4Clients: 1000,
  s5Bytes: 20 * 1024 * 1024,
  s5CalmSeconds: 10,
  s6Commands: 1000,
  s7Queries: 1000,
  s8Seconds: 10,
  s12Seconds: 10,
  s13Seconds: 10,
  s9Seconds: 10,
  s10Seconds: 10,
  startupRuns: 5,
}

/** A smoke run: every code path, a fraction of the time. */
export const quickScale: Scale = {
  s1Seconds: 2,
  s2Bytes: 2_000_000,
  s3Seconds: 2,
  s4Clients: 1000,
  s5Bytes: 4 * 1024 * 1024,
  s5CalmSeconds: 3,
  s6Commands: 200,
  s7Queries: 200,
  s8Seconds: 3,
  s12Seconds: 3,
  s13Seconds: 2,
  s9Seconds: 3,
  s10Seconds: 3,
  startupRuns: 2,
}

export interface ScenarioContext {
  target: TargetName
  epoch: string
  clock: Clock
  scale: Scale
}

export interface Scenario {
  id: string
  title: string
  /** Set while the scenario cannot run yet; the runner prints it instead. */
  skip?: string
  /** The targets it can measure, when not both (S8: the baseline has no UI). */
  targets?: TargetName[]
  run(ctx: ScenarioContext): Promise<Metrics>
}

export function round(x: number | null, digits = 3): number | null {
  if (x === null || !Number.isFinite(x)) return null
  return Number(x.toPrecision(digits))
}

export const KiB = 1024
export const MiB = 1024 * 1024

/** Latency and completeness of a stream of `expected` lines to the given clients. */
export function deliveryMetrics(
  latency: LatencyHistogram,
  clients: ClientReport[],
  expected: number,
): Metrics {
  const received = clients.reduce((n, c) => n + c.unique, 0)
  return {
    p50Ms: round(latency.percentileMs(50)),
    p99Ms: round(latency.percentileMs(99)),
    maxMs: round(latency.maxMs()),
    lost: expected * clients.length - received,
    completenessPct: round((100 * received) / (expected * clients.length), 6),
    outOfOrder: clients.reduce((n, c) => n + c.outOfOrder, 0),
    duplicates: clients.reduce((n, c) => n + c.duplicates, 0),
  }
}
