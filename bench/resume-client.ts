import WebSocket from 'ws'
import { parseDataLine } from './bench-lines'
import { clockFrom } from './bench-clock'
import type { ResumeClientApi } from './child-api'
import { serveCalls } from './child-rpc'
import { LatencyHistogram } from './latency-histogram'
import { LineTally } from './line-tally'

/**
 * S12's client, in a process of its own: reads one port, cuts its own connection on a schedule
 * (the socket destroyed, as a network failure leaves it) and connects again. Child process of
 * bench/run.ts.
 */

const clock = clockFrom(process.argv[2] ?? '0')
/** Lines stamped this soon after the client is back count as "after resume". */
const AFTER_RESUME_NS = 200e6

type Options = Parameters<ResumeClientApi['start']>[0]

let options: Options | null = null
let ws: WebSocket | null = null
let stopping = false
/** No more cuts (the lines have all been sent): the last resume is allowed to finish. */
let calm = false
let cutTimer: NodeJS.Timeout | null = null
let epoch: string | null = null
/** The last server seq received: what a resume asks after. */
let lastServerSeq: number | null = null
let tally = new LineTally(0)
const counts = { cuts: 0, gaps: 0, gapFrames: 0 }
const hist = {
  replayed: new LatencyHistogram(),
  afterResume: new LatencyHistogram(),
  steady: new LatencyHistogram(),
  reconnect: new LatencyHistogram(),
  catchUp: new LatencyHistogram(),
}
/** When the last cut was made, and when the client was back after it. */
let cutNs = -Infinity
let backNs = -Infinity
/** When the last line read while away arrived (after `backNs`: the replay took until then). */
let replayEndNs = -Infinity

function onLine(text: string, atNs: number): void {
  const line = parseDataLine(text)
  if (!line) return
  tally.add(line.seq)
  const latencyNs = atNs - line.stampNs
  if (line.stampNs >= cutNs && line.stampNs < backNs) {
    hist.replayed.record(latencyNs)
    replayEndNs = atNs
  } else if (line.stampNs >= backNs && line.stampNs < backNs + AFTER_RESUME_NS)
    hist.afterResume.record(latencyNs)
  else hist.steady.record(latencyNs)
}

/** How long the last resume took to deliver what was read while away. */
function recordCatchUp(): void {
  if (replayEndNs > backNs) hist.catchUp.record(replayEndNs - backNs)
  replayEndNs = -Infinity
}

/** Resolves `start` once the client is first subscribed: lines sent before would be missed. */
let firstBack: (() => void) | null = null

function back(): void {
  firstBack?.()
  firstBack = null
  backNs = clock()
  if (Number.isFinite(cutNs)) hist.reconnect.record(backNs - cutNs)
  scheduleCut()
}

function onMessage(text: string, atNs: number): void {
  const o = options!
  if (o.mode === 'reconnect') return onLine(text, atNs)
  const m = JSON.parse(text) as {
    type: string
    epoch?: string
    seq?: number
    data?: string
    from?: number
    to?: number | null
  }
  if (m.type === 'hello') {
    const since = lastServerSeq === null ? {} : { since: { [o.port]: lastServerSeq }, epoch }
    epoch ??= m.epoch ?? null
    ws!.send(JSON.stringify({ type: 'subscribe', ports: [o.port], ...since }))
  } else if (m.type === 'subscribed') back()
  else if (m.type === 'data') {
    lastServerSeq = m.seq!
    onLine(m.data!, atNs)
  } else if (m.type === 'gap') {
    counts.gaps++
    counts.gapFrames += m.to === null || m.to === undefined ? 0 : m.to - m.from! + 1
  }
}

function connect(): void {
  const o = options!
  const url = o.mode === 'resume' ? `${o.url}/ws` : `${o.url}/ports/${o.port}`
  const socket = new WebSocket(url, { perMessageDeflate: false })
  ws = socket
  socket.on('message', (data) => onMessage(data.toString(), clock()))
  socket.on('error', () => undefined)
  socket.on('open', () => {
    if (o.mode === 'reconnect') back()
  })
  socket.on('close', () => {
    if (ws === socket && !stopping) setTimeout(connect, 50)
  })
}

function scheduleCut(): void {
  if (stopping || cutTimer) return
  cutTimer = setTimeout(() => {
    cutTimer = null
    if (stopping || calm || !ws) return
    recordCatchUp()
    counts.cuts++
    cutNs = clock()
    const cut = ws
    ws = null
    cut.terminate()
    setTimeout(() => !stopping && connect(), options!.outageMs)
  }, options!.cutEveryMs)
}

const api: ResumeClientApi = {
  start(args) {
    options = args
    tally = new LineTally(args.expected)
    return new Promise<void>((resolve) => {
      firstBack = resolve
      connect()
    })
  },
  async progress() {
    return { unique: tally.unique }
  },
  async calm() {
    calm = true
  },
  async stop() {
    stopping = true
    if (cutTimer) clearTimeout(cutTimer)
    recordCatchUp()
    ws?.close()
    const { unique, duplicates, outOfOrder } = tally
    return {
      ...counts,
      unique,
      duplicates,
      outOfOrder,
      firstMissing: tally.missing(10),
      replayed: hist.replayed.toData(),
      afterResume: hist.afterResume.toData(),
      steady: hist.steady.toData(),
      reconnect: hist.reconnect.toData(),
      catchUp: hist.catchUp.toData(),
    }
  },
}

serveCalls(api)
