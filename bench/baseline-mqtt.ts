import { readFileSync } from 'node:fs'
import { connect } from 'mqtt'
import { ReadlineParser, SerialPort } from 'serialport'
import type { Settings } from '../common/settings-schema'

/**
 * The bare pipeline S13 measures the uplink against: serialport + readline parser + mqtt.js,
 * each line published as it is to `{topicPrefix}/ports/{id}/rx`. No queue, no bounds, no
 * reconnect policy. Started like headless mode (`--config FILE`); prints `listening on mqtt://…`
 * once connected to the broker.
 */
const config = JSON.parse(
  readFileSync(process.argv[process.argv.indexOf('--config') + 1] ?? '', 'utf8'),
) as Settings
const { url, username, password, topicPrefix, qos } = config.mqtt
const client = connect(url, {
  username: username ?? undefined,
  password: password ?? undefined,
  protocolVersion: 5,
  clientId: `bench-baseline-${process.pid}`,
})
client.on('error', (e) => console.error(`mqtt: ${e.message}`))
client.once('connect', () => {
  for (const p of config.ports) {
    const topic = `${topicPrefix}/ports/${p.id}/rx`
    const port = new SerialPort({ path: p.path, baudRate: p.baudRate })
    port.on('error', (e) => console.error(`${p.id}: ${e.message}`))
    port
      .pipe(new ReadlineParser({ delimiter: '\n' }))
      .on('data', (line: string) => client.publish(topic, line, { qos }))
  }
  console.log(`listening on ${url}`)
})

process.once('SIGTERM', () => process.exit(0))
process.once('SIGINT', () => process.exit(0))
