import type { ServerMessage } from '../../../common/protocol'
import type { ClientHandle } from '../capability'
import type { RxFrame } from '../serial/rx-frame'
import { MAX_CHANNELS } from './channel-stats'

/** A batch that reaches this many frames is sent at once, before its interval ends. */
export const MAX_BATCH_FRAMES = 10_000

interface Batch {
  client: ClientHandle
  port: string
  ts: number[]
  rows: Array<Record<string, number>>
  units: Record<string, string>
  timer: NodeJS.Timeout
}

type SamplesMessage = Extract<ServerMessage, { type: 'samples' }>

/**
 * `samples` batches (feature `samples`): per client and port, the parsed frames of one interval
 * in one message. A client holds at most one batch per port, of at most MAX_BATCH_FRAMES frames;
 * batches are sent like data (dropped and counted in `lagged` while the client lags).
 */
export class SampleBatches {
  private readonly byClient = new Map<string, Map<string, Batch>>()

  /** A frame for a client that takes its port as samples; frames without values are not samples. */
  add(client: ClientHandle, frame: RxFrame, intervalMs: number): void {
    if (!frame.values) return
    let batches = this.byClient.get(client.id)
    if (!batches) this.byClient.set(client.id, (batches = new Map()))
    let batch = batches.get(frame.port)
    if (!batch) {
      const started: Batch = {
        client,
        port: frame.port,
        ts: [],
        rows: [],
        units: {},
        timer: setTimeout(() => this.flush(started), intervalMs),
      }
      batch = started
      batches.set(frame.port, batch)
    }
    batch.ts.push(frame.ts)
    batch.rows.push(frame.values)
    if (frame.units) Object.assign(batch.units, frame.units)
    if (batch.rows.length >= MAX_BATCH_FRAMES) this.flush(batch)
  }

  /** The client left: its batches are dropped unsent. */
  drop(clientId: string): void {
    for (const batch of this.byClient.get(clientId)?.values() ?? []) clearTimeout(batch.timer)
    this.byClient.delete(clientId)
  }

  stopAll(): void {
    for (const id of [...this.byClient.keys()]) this.drop(id)
  }

  private flush(batch: Batch): void {
    clearTimeout(batch.timer)
    const batches = this.byClient.get(batch.client.id)
    if (batches?.get(batch.port) !== batch) return
    batches.delete(batch.port)
    if (batches.size === 0) this.byClient.delete(batch.client.id)
    batch.client.sendData(batch.port, samplesMessage(batch))
  }
}

function samplesMessage(batch: Batch): SamplesMessage {
  const names: string[] = []
  const seen = new Set<string>()
  for (const row of batch.rows) {
    for (const name in row) {
      if (seen.has(name) || names.length >= MAX_CHANNELS) continue
      seen.add(name)
      names.push(name)
    }
  }
  const values: SamplesMessage['values'] = {}
  for (const name of names) values[name] = batch.rows.map((row) => row[name] ?? null)
  const units = Object.fromEntries(Object.entries(batch.units).filter(([n]) => seen.has(n)))
  return {
    type: 'samples',
    port: batch.port,
    ts: batch.ts,
    values,
    ...(Object.keys(units).length > 0 ? { units } : {}),
    count: batch.rows.length,
  }
}
