import { connectAsync, type MqttClient } from 'mqtt'
import { parseDataLine } from './bench-lines'
import { clockFrom } from './bench-clock'
import type { MqttSubscriberApi } from './child-api'
import { serveCalls } from './child-rpc'
import { LatencyHistogram } from './latency-histogram'
import { LineTally } from './line-tally'

/**
 * The lab's collector in S13: one MQTT client that subscribes to a port's `rx` topic and
 * records, per data line, whether it arrived, in what order, and how long after the
 * instrument wrote it. Child process of bench/run.ts.
 */
const clock = clockFrom(process.argv[2] ?? '0')
let client: MqttClient | null = null
let tally = new LineTally(0)
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
      tally.add(line.seq)
      latency.record(atNs - line.stampNs)
    })
    await client.subscribeAsync(topic, { qos: 0 })
  },
  async track({ expected }) {
    tally = new LineTally(expected)
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
    return { unique: tally.unique }
  },
  async report() {
    return { latency: latency.toData(), ...tally.counts() }
  },
}

serveCalls(api)
