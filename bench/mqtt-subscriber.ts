import { connectAsync, type MqttClient } from 'mqtt'
import { parseDataLine } from './bench-lines'
import { clockFrom } from './bench-clock'
import type { MqttSubscriberApi } from './child-api'
import { serveCalls } from './child-rpc'
import { LatencyHistogram } from './latency-histogram'

/**
 * The lab's collector in S13: one MQTT client that subscribes to a port's `rx` topic and
 * records, per data line, whether it arrived, in what order, and how long after the
 * instrument wrote it. Child process of bench/run.ts.
 */
const clock = clockFrom(process.argv[2] ?? '0')
let client: MqttClient | null = null
let seen = new Uint8Array(0)
let counts = { unique: 0, outOfOrder: 0, duplicates: 0, lastSeq: -1 }
let latency = new LatencyHistogram()
let frameWaiter: (() => void) | null = null

const api: MqttSubscriberApi = {
  async connect({ url, topic, username, password }) {
    client = await connectAsync(url, { username, password, protocolVersion: 5, reconnectPeriod: 0 })
    client.on('message', (_topic, payload) => {
      const atNs = clock()
      frameWaiter?.()
      const line = parseDataLine(payload.toString('latin1'))
      if (!line) return
      if (line.seq < seen.length) {
        if (seen[line.seq]) counts.duplicates++
        else {
          seen[line.seq] = 1
          counts.unique++
        }
      }
      if (line.seq < counts.lastSeq) counts.outOfOrder++
      counts.lastSeq = line.seq
      latency.record(atNs - line.stampNs)
    })
    await client.subscribeAsync(topic, { qos: 0 })
  },
  async track({ expected }) {
    seen = new Uint8Array(expected)
    counts = { unique: 0, outOfOrder: 0, duplicates: 0, lastSeq: -1 }
    latency = new LatencyHistogram()
  },
  awaitFrame({ timeoutMs }) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no MQTT message')), timeoutMs)
      frameWaiter = () => {
        clearTimeout(timer)
        frameWaiter = null
        resolve()
      }
    })
  },
  async progress() {
    return { unique: counts.unique }
  },
  async report() {
    return { latency: latency.toData(), ...counts }
  },
}

serveCalls(api)
