import { ReadlineParser, SerialPort } from 'serialport'
import {
  answerFor,
  dataLine,
  parseCommandLine,
  probeLine,
  queryLine,
  valuesLine,
} from './bench-lines'
import { clockFrom, paced } from './bench-clock'
import type { InstrumentApi } from './child-api'
import { serveCalls } from './child-rpc'
import { LatencyHistogram } from './latency-histogram'

/**
 * The simulated instrument: owns one end of the pty pair. Streams stamped lines, records the
 * commands it is sent, and answers queries at once. Child process of bench/run.ts.
 */

const clock = clockFrom(process.argv[2] ?? '0')
const LINES_PER_CHUNK = 64
let port: SerialPort | null = null
let probeTimer: NodeJS.Timeout | null = null
let probesSent = 0

let commands = freshCommandStats()
const answerDelay = new LatencyHistogram()
let answered = 0
/** Set while this process is the asker in `ask`: the next answer line goes to it. */
let awaitingAnswer: ((line: string) => void) | null = null
const ASK_TIMEOUT_MS = 2000

function freshCommandStats() {
  return {
    latency: new LatencyHistogram(),
    seen: new Set<number>(),
    received: 0,
    intact: 0,
    corrupt: 0,
    outOfOrder: 0,
    duplicates: 0,
    lastSeq: -1,
  }
}

function openPort(): SerialPort {
  if (!port) throw new Error('port not open')
  return port
}

/** S10: arrival times of the polls' questions, by tag; null while not recording. */
let arrivals: Map<string, number[]> | null = null
let arrivalsPrefix = ''

function onLine(line: string): void {
  const receivedNs = clock()
  if (awaitingAnswer && line.startsWith('A ')) return awaitingAnswer(line)
  const answer = answerFor(line)
  if (answer !== null && arrivals) {
    const tag = line.split(' ', 2)[1] ?? ''
    if (tag.startsWith(arrivalsPrefix)) {
      const times = arrivals.get(tag) ?? []
      times.push(receivedNs)
      arrivals.set(tag, times)
    }
  }
  if (answer !== null) {
    openPort().write(answer + '\n')
    answerDelay.record(clock() - receivedNs)
    answered++
    return
  }
  const c = parseCommandLine(line)
  if (!c) {
    if (line.startsWith('C ')) commands.corrupt++
    return
  }
  commands.received++
  commands.latency.record(receivedNs - c.stampNs)
  if (c.intact) commands.intact++
  else commands.corrupt++
  if (commands.seen.has(c.seq)) commands.duplicates++
  commands.seen.add(c.seq)
  if (c.seq < commands.lastSeq) commands.outOfOrder++
  commands.lastSeq = c.seq
}

let lastWrite: Promise<void> = Promise.resolve()

/** Resolves when the port takes more; `lastWrite` settles once the chunk reached the pty. */
function write(chunk: string): Promise<void> {
  const p = openPort()
  return new Promise((resolve, reject) => {
    let more = true
    lastWrite = new Promise((done, failed) => {
      more = p.write(chunk, (err) => (err ? failed(err) : done()))
    })
    lastWrite.catch(reject)
    if (more) resolve()
    else p.once('drain', resolve)
  })
}

const api: InstrumentApi = {
  async open({ path }) {
    const p = new SerialPort({ path, baudRate: 115200, autoOpen: false })
    await new Promise<void>((resolve, reject) => p.open((err) => (err ? reject(err) : resolve())))
    p.pipe(new ReadlineParser({ delimiter: '\n' })).on('data', onLine)
    p.on('error', (e) => console.error('instrument port error:', e.message))
    port = p
  },

  async stream({ count, ratePerSec, lineBytes, firstSeq = 0, values = false }) {
    const startNs = clock()
    const lineOf = (seq: number, stampNs: number, bytes: number) =>
      values ? valuesLine(seq) : dataLine(seq, stampNs, bytes)
    let bytes = 0
    if (ratePerSec <= 0) {
      for (let seq = 0; seq < count;) {
        let chunk = ''
        for (const end = Math.min(count, seq + LINES_PER_CHUNK); seq < end; seq++) {
          chunk += lineOf(firstSeq + seq, clock(), lineBytes) + '\n'
        }
        bytes += chunk.length
        await write(chunk)
      }
    } else {
      await paced(clock, count, ratePerSec, async (seq) => {
        const line = lineOf(firstSeq + seq, clock(), lineBytes) + '\n'
        bytes += line.length
        await write(line)
      })
    }
    await lastWrite
    return { startNs, endNs: clock(), lines: count, bytes }
  },

  async probe({ intervalMs, max }) {
    if (probeTimer) clearInterval(probeTimer)
    probesSent = 0
    probeTimer = setInterval(() => {
      if (probesSent >= max) return api.stopProbe({})
      openPort().write(probeLine(probesSent++) + '\n')
    }, intervalMs)
  },

  async stopProbe() {
    if (probeTimer) clearInterval(probeTimer)
    probeTimer = null
    return { sent: probesSent }
  },

  async collect() {
    commands = freshCommandStats()
  },

  async commands() {
    const { latency, received, intact, corrupt, outOfOrder, duplicates } = commands
    return { received, intact, corrupt, outOfOrder, duplicates, latency: latency.toData() }
  },

  async answers() {
    return { answered, delay: answerDelay.toData() }
  },

  async ask({ count }) {
    const latency = new LatencyHistogram()
    try {
      for (let n = 0; n < count; n++) {
        const sentNs = clock()
        const question = queryLine('direct', n, sentNs)
        const answer = new Promise<string>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`no answer to ${question}`)),
            ASK_TIMEOUT_MS,
          )
          awaitingAnswer = (line) => {
            clearTimeout(timer)
            resolve(line)
          }
        })
        openPort().write(question + '\n')
        const line = await answer
        if (line !== answerFor(question)) throw new Error(`"${line}" does not answer "${question}"`)
        latency.record(clock() - sentNs)
      }
    } finally {
      awaitingAnswer = null
    }
    return { latency: latency.toData() }
  },

  async recordArrivals({ prefix }) {
    arrivals = new Map()
    arrivalsPrefix = prefix
  },

  async arrivals() {
    const recorded = Object.fromEntries(arrivals ?? [])
    arrivals = null
    return recorded
  },
}

serveCalls(api)
