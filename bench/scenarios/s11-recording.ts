import { join } from 'node:path'
import { withRig, PORT_ID, type Rig } from '../bench-rig'
import { parseDataLine } from '../bench-lines'
import { round, type Metrics, type Scenario } from '../scenario'
import { compareRecordingNames } from '../../main/core/recording/file-names'
import { isFrame, recordBytes } from '../../main/core/recording/record-format'
import { emptyStats, readRecordBatches } from '../../main/core/recording/recording-reader'
import { readdirSync } from 'node:fs'
import { measureLatency } from './s1-latency'
import { measureThroughput } from './s2-throughput'

const LINE_BYTES = 64
/** How long the recorder may take to write what the clients already got (a flush is 250 ms). */
const FILE_WAIT_MS = 20_000

/**
 * S11 (issue 11): S1 and S2/1 with the port recorded and not, in the same run, off and on
 * alternating; the ratios are the cost of recording. With recording on, every data line of
 * the run must be in the file, in order.
 */
export const s11Recording: Scenario = {
  id: 'S11',
  title: 'recording on vs off: S1 latency and S2/1 throughput, every frame in the file',
  targets: ['bridge'],
  async run(ctx) {
    const s1Off = await withRig(ctx, (rig) => measureLatency(rig, ctx))
    const s1On = await withRig({ ...ctx, record: true }, async (rig) => {
      const measured = await measureLatency(rig, ctx)
      return { ...measured, ...(await inFile(rig, Number(measured.lines))) }
    })
    const s2Off = await withRig(ctx, (rig) => measureThroughput(rig, ctx, 1))
    const s2On = await withRig({ ...ctx, record: true }, async (rig) => {
      const measured = await measureThroughput(rig, ctx, 1)
      return { ...measured, ...(await inFile(rig, Math.floor(ctx.scale.s2Bytes / LINE_BYTES))) }
    })
    return {
      s1P99OffMs: s1Off.p99Ms ?? null,
      s1P99OnMs: s1On.p99Ms ?? null,
      s1P99Ratio: ratio(s1On.p99Ms, s1Off.p99Ms),
      s2MbOff: s2Off.mbPerSecPerClient ?? null,
      s2MbOn: s2On.mbPerSecPerClient ?? null,
      s2Ratio: ratio(s2On.mbPerSecPerClient, s2Off.mbPerSecPerClient),
      s1LostOn: s1On.lost ?? null,
      s2LostOn: s2On.lost ?? null,
      fileFrames: Number(s1On.fileFrames) + Number(s2On.fileFrames),
      fileMissing: Number(s1On.fileMissing) + Number(s2On.fileMissing),
      fileOutOfOrder: Number(s1On.fileOutOfOrder) + Number(s2On.fileOutOfOrder),
      fileMiB: round(Number(s1On.fileMiB) + Number(s2On.fileMiB)),
    }
  },
}

function ratio(on: Metrics[string] | undefined, off: Metrics[string] | undefined): number | null {
  return typeof on === 'number' && typeof off === 'number' && off > 0 ? round(on / off) : null
}

/**
 * Reads the recording while the bridge still runs and checks that data lines 0..expected-1
 * are all there, in order (probe lines of the pipeline check come before them).
 */
async function inFile(rig: Rig, expected: number): Promise<Metrics> {
  const count = expected
  const folder = join(rig.dir, 'recordings', PORT_ID)
  const deadline = Date.now() + FILE_WAIT_MS
  for (;;) {
    const found = await scan(folder)
    if (found.seqs.length >= count || Date.now() > deadline) {
      let outOfOrder = 0
      for (let i = 1; i < found.seqs.length; i++)
        if (found.seqs[i]! <= found.seqs[i - 1]!) outOfOrder++
      const unique = new Set(found.seqs).size
      return {
        fileFrames: found.seqs.length,
        fileMissing: count - unique,
        fileOutOfOrder: outOfOrder,
        fileMiB: round(found.bytes / 2 ** 20),
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

async function scan(folder: string): Promise<{ seqs: number[]; bytes: number }> {
  const seqs: number[] = []
  let bytes = 0
  let names: string[]
  try {
    names = readdirSync(folder)
      .filter((n) => n.endsWith('.jsonl'))
      .sort(compareRecordingNames)
  } catch {
    return { seqs, bytes }
  }
  for (const name of names) {
    for await (const batch of readRecordBatches(join(folder, name), emptyStats())) {
      for (const record of batch) {
        if (!isFrame(record) || record.dir !== 'rx') continue
        const line = parseDataLine(recordBytes(record).toString('latin1'))
        if (line) seqs.push(line.seq)
        bytes += record.data.length
      }
    }
  }
  return { seqs, bytes }
}
