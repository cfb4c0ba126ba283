import WebSocket, { type RawData } from 'ws'
import { answerFor, commandLine, parseDataLine, queryLine } from './bench-lines'
import { clockFrom, paced } from './bench-clock'
import type { ClientPoolApi, ClientReport } from './child-api'
import { serveCalls } from './child-rpc'
import { LatencyHistogram } from './latency-histogram'

/**
 * A process holding some of the benchmark's WebSocket clients. Tracks, per client, which data
 * lines arrived and in what order, and records latency at receipt. Child process of bench/run.ts.
 */

const clock = clockFrom(process.argv[2] ?? '0')
const poolTag = process.argv[3] ?? 'p'

interface BenchClient extends ClientReport {
  ws: WebSocket
  tag: string
  seen: Uint8Array
  lastSeq: number
  everPaused: boolean
  onText: ((text: string, atNs: number) => void) | null
}

const clients: BenchClient[] = []
let openedCount = 0
let latency = new LatencyHistogram()
let frameWaiter: ((atNs: number) => void) | null = null

function onMessage(c: BenchClient, data: RawData, isBinary: boolean): void {
  const atNs = clock()
  if (isBinary) return
  const text = data.toString()
  if (frameWaiter) frameWaiter(atNs)
  c.onText?.(text, atNs)
  const line = parseDataLine(text)
  if (line) {
    if (line.seq < c.seen.length) {
      if (c.seen[line.seq]) c.duplicates++
      else {
        c.seen[line.seq] = 1
        c.unique++
      }
    }
    if (line.seq < c.lastSeq) c.outOfOrder++
    c.lastSeq = line.seq
    c.bytes += text.length + 1
    c.lastNs = atNs
    if (!c.everPaused) latency.record(atNs - line.stampNs)
  } else if (text.startsWith('{"type":"lagged"')) {
    const m = JSON.parse(text) as { dropped?: number }
    c.laggedMessages++
    c.droppedReported += m.dropped ?? 0
  }
}

/** What a client counts for one measurement; `track` starts each one afresh. */
function freshCounts(expected: number) {
  return {
    seen: new Uint8Array(expected),
    lastSeq: -1,
    unique: 0,
    outOfOrder: 0,
    duplicates: 0,
    bytes: 0,
    lastNs: 0,
    laggedMessages: 0,
    droppedReported: 0,
  }
}

function open(url: string, index: number): Promise<BenchClient> {
  const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 15_000 })
  const c: BenchClient = {
    ws,
    tag: `${poolTag}.${index}`,
    ...freshCounts(0),
    everPaused: false,
    onText: null,
    closeCode: null,
    paused: false,
  }
  return new Promise((resolve, reject) => {
    ws.once('error', reject)
    ws.once('open', () => {
      ws.off('error', reject)
      ws.on('error', () => undefined) // the close event carries what we report
      resolve(c)
    })
    ws.on('message', (data, isBinary) => onMessage(c, data, isBinary))
    ws.on('close', (code) => (c.closeCode = code))
  })
}

function client(index: number): BenchClient {
  const c = clients[index]
  if (!c) throw new Error(`no client ${index} (have ${clients.length})`)
  return c
}

function sendText(ws: WebSocket, text: string): Promise<void> {
  return new Promise((resolve, reject) => ws.send(text, (err) => (err ? reject(err) : resolve())))
}

/** One query and its answer; resolves with the round trip, or why there was none. */
function queryOnce(
  c: BenchClient,
  via: 'control' | 'stream',
  port: string,
  n: number,
  timeoutMs: number,
): Promise<{ ns: number } | 'timeout' | 'error' | 'misrouted'> {
  const sentNs = clock()
  const line = queryLine(c.tag, n, sentNs)
  const expected = answerFor(line)
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish('timeout'), timeoutMs + 1000)
    const finish = (r: { ns: number } | 'timeout' | 'error' | 'misrouted') => {
      clearTimeout(timer)
      c.onText = null
      resolve(r)
    }
    if (via === 'stream') {
      c.onText = (text, atNs) => {
        if (text === expected) finish({ ns: atNs - sentNs })
      }
      c.ws.send(line)
      return
    }
    c.onText = (text, atNs) => {
      if (!text.startsWith('{')) return
      const m = JSON.parse(text) as { type: string; id?: unknown; data?: string }
      if (m.id !== n) return
      if (m.type === 'reply') finish(m.data === expected ? { ns: atNs - sentNs } : 'misrouted')
      else if (m.type === 'error') finish('error')
    }
    c.ws.send(JSON.stringify({ type: 'query', port, data: line, id: n, timeoutMs }))
  })
}

const api: ClientPoolApi = {
  async connect({ url, count, concurrency }) {
    let next = 0
    let failed = 0
    let firstError: string | null = null
    const worker = async () => {
      while (next < count) {
        next++
        try {
          clients.push(await open(url, openedCount++))
        } catch (e) {
          failed++
          firstError ??= e instanceof Error ? e.message : String(e)
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
    return { opened: count - failed, failed, firstError }
  },

  async track({ expected }) {
    latency = new LatencyHistogram()
    for (const c of clients) Object.assign(c, freshCounts(expected))
  },

  async resetLatency() {
    latency = new LatencyHistogram()
  },

  async progress() {
    return {
      unique: clients.map((c) => c.unique),
      closed: clients.filter((c) => c.closeCode !== null).length,
    }
  },

  async report() {
    return {
      latency: latency.toData(),
      clients: clients.map((c) => ({
        unique: c.unique,
        outOfOrder: c.outOfOrder,
        duplicates: c.duplicates,
        bytes: c.bytes,
        lastNs: c.lastNs,
        laggedMessages: c.laggedMessages,
        droppedReported: c.droppedReported,
        closeCode: c.closeCode,
        paused: c.paused,
      })),
    }
  },

  async pause({ index }) {
    const c = client(index)
    c.ws.pause()
    c.paused = c.everPaused = true
  },

  async resume({ index }) {
    const c = client(index)
    c.ws.resume()
    c.paused = false
  },

  awaitFrame({ timeoutMs }) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        frameWaiter = null
        reject(new Error(`no frame within ${timeoutMs} ms`))
      }, timeoutMs)
      frameWaiter = (atNs) => {
        clearTimeout(timer)
        frameWaiter = null
        resolve({ atNs })
      }
    })
  },

  async send({ index, count, ratePerSec }) {
    const { ws } = client(index)
    const startNs = clock()
    let last: Promise<void> = Promise.resolve()
    if (ratePerSec <= 0) {
      for (let seq = 0; seq < count; seq++) last = sendText(ws, commandLine(seq, clock()))
    } else {
      // Not awaited per command: the send only queues on the socket.
      await paced(
        clock,
        count,
        ratePerSec,
        (seq) => void (last = sendText(ws, commandLine(seq, clock()))),
      )
    }
    await last
    return { startNs, endNs: clock() }
  },

  async query({ via, port, perClient, timeoutMs }) {
    const hist = new LatencyHistogram()
    const result = { answered: 0, misrouted: 0, timeouts: 0, errors: 0 }
    await Promise.all(
      clients.map(async (c) => {
        for (let n = 0; n < perClient; n++) {
          const r = await queryOnce(c, via, port, n, timeoutMs)
          if (r === 'timeout') result.timeouts++
          else if (r === 'error') result.errors++
          else if (r === 'misrouted') result.misrouted++
          else {
            result.answered++
            hist.record(r.ns)
          }
        }
      }),
    )
    return { ...result, latency: hist.toData() }
  },

  async closeAll() {
    for (const c of clients.splice(0)) c.ws.terminate()
  },
}

serveCalls(api)
