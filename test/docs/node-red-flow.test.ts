import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { SIM_IDN } from '../../main/core/serial/sim-device'
import { HeadlessProcess, ROOT } from '../helpers/headless-process'
import { NodeRed } from '../helpers/node-red'

/**
 * docs/examples/node-red-flow.json, imported as the docs say, in a real Node-RED 4.1.15 against
 * headless mode with the simulated port `demo`. What its debug nodes print is read from
 * Node-RED's editor channel, the way its sidebar gets it.
 */
const FLOW = join(ROOT, 'docs/examples/node-red-flow.json')
const READING = /^T=\d+\.\d{2},RH=\d+\.\d$/
const INJECT_IDN_ON_STREAM = '5b1d7c2e9a4f0006'
const INJECT_QUERY = '5b1d7c2e9a4f0011'

describe('the Node-RED flow in a real Node-RED', () => {
  const userDir = mkdtempSync(join(tmpdir(), 'sb-node-red-'))
  let headless: HeadlessProcess
  let red: NodeRed

  before(async () => {
    headless = HeadlessProcess.start({
      server: { port: 0 },
      ports: [{ id: 'demo', path: 'sim:demo' }],
    })
    const url = await headless.url()
    // The flow as a user imports it, with this run's address instead of the default port.
    const flow = readFileSync(FLOW, 'utf8').replaceAll('ws://127.0.0.1:8765', url)
    red = await NodeRed.start(userDir, JSON.parse(flow) as unknown[])
  })
  after(async () => {
    await red?.stop()
    await headless?.stop()
    rmSync(userDir, { recursive: true, force: true })
  })

  test('the port stream branch prints the lines, and its inject gets the reply as a line', async () => {
    await red.waitForDebug('line', (m) => READING.test(m))
    await red.inject(INJECT_IDN_ON_STREAM)
    await red.waitForDebug('line', (m) => m === SIM_IDN)
  })

  test('the control branch subscribes on every hello and prints the readings', async () => {
    await red.waitForDebug('reading', (m) => READING.test(m))
    // A deploy reconnects every websocket node: the hello that follows must subscribe again.
    const from = red.debug.length
    await red.restartFlows()
    const subscribed = await red.waitForDebug(
      'answers, status, errors',
      (m) => m.includes('"type":"subscribed"'),
      { from },
    )
    assert.deepEqual(JSON.parse(subscribed), { type: 'subscribed', ports: ['demo'] })
    await red.waitForDebug('reading', (m) => READING.test(m), { from })
  })

  test('the query inject prints the reply with its id', async () => {
    await red.inject(INJECT_QUERY)
    const reply = await red.waitForDebug('answers, status, errors', (m) =>
      m.includes('"type":"reply"'),
    )
    assert.deepEqual(JSON.parse(reply), {
      type: 'reply',
      port: 'demo',
      data: SIM_IDN,
      encoding: 'utf8',
      id: 'node-red',
    })
  })
})
