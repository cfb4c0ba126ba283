import { performance } from 'node:perf_hooks'
import type { PortFrame, PortReply, QueryOptions } from '../../common/engine-api'
import type { Result } from '../../common/validation'
import { replyRule } from './protocol/reply-rule'
import type { PortController } from './serial/port-controller'
import type { RxFrame } from './serial/rx-frame'

/** A frame read, as the engine's hosts get it: its bytes, and its poll and numbers when set. */
export function portFrame(frame: RxFrame): PortFrame {
  return {
    port: frame.port,
    direction: 'rx',
    bytes: frame.bytes,
    ts: frame.ts,
    ...(frame.poll !== undefined ? { poll: frame.poll } : {}),
    ...(frame.values !== undefined ? { values: frame.values } : {}),
    ...(frame.units !== undefined ? { units: frame.units } : {}),
  }
}

/**
 * The engine's `queryPort` (the UI's "Try it"): the command takes its turn in the port's query
 * queue like a client's `query`, so it never gets a poll's or another tool's answer.
 */
export async function queryPort(
  controller: PortController,
  bytes: Uint8Array,
  options: QueryOptions,
): Promise<Result<PortReply>> {
  const rule = replyRule(options)
  if (!rule.ok) return rule
  let startedAt = 0
  let repliedAt = 0
  try {
    const frames = await controller.query(Buffer.from(bytes), options.timeoutMs, null, {
      ...rule.value,
      started: () => (startedAt = performance.now()),
      taken: () => (repliedAt = performance.now()),
    })
    const ms = Math.round((repliedAt - startedAt) * 10) / 10
    return { ok: true, value: { frames: frames.map(portFrame), ms } }
  } catch (error) {
    return { ok: false, errors: [(error as Error).message] }
  }
}
