import assert from 'node:assert/strict'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { after, before, describe, test } from 'node:test'
import WebSocket from 'ws'
import type { Instrument } from '../helpers/instrument'
import { startPtyBridge, type PtyBridge } from '../helpers/pty-bridge'
import { TestClient } from '../helpers/ws-client'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const ATTEMPTS = 2000
const CAP = 64

function attempt(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url)
    ws.once('open', () => resolve(101))
    ws.once('unexpected-response', (_req, res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    ws.once('error', () => resolve(-1))
  })
}

describe('a burst of 2,000 connection attempts', () => {
  let rig: PtyBridge
  let bridge: PtyBridge['bridge']
  let instrument: Instrument

  before(async () => {
    rig = await startPtyBridge('burst', { id: 'tick' }, { server: { maxClients: CAP } })
    ;({ bridge, instrument } = rig)
  })
  after(async () => {
    await rig.stop()
  })

  test('past the cap get 503, memory returns to its level, connected clients see no gap over 100 ms', async () => {
    const watcher = await TestClient.connect(bridge.url + '/ports/tick')
    const arrivals: number[] = []
    watcher.ws.on('message', () => arrivals.push(performance.now()))
    let n = 0
    const ticker = setInterval(() => void instrument.write(`t${n++}\n`), 10)
    try {
      gc()
      const heapBefore = process.memoryUsage().heapUsed
      const started = performance.now()
      const statuses = await Promise.all(
        Array.from({ length: ATTEMPTS }, () => attempt(bridge.url + '/ws')),
      )
      const finished = performance.now()
      const opened = statuses.filter((s) => s === 101).length
      assert.equal(opened, CAP - 1, 'the cap counts the watching client too')
      assert.equal(statuses.filter((s) => s === 503).length, ATTEMPTS - opened)
      assert.equal(bridge.engine.listRefused().at(-1)?.reason, 'capacity')

      const during = arrivals.filter((t) => t >= started - 20 && t <= finished + 20)
      const gaps = during.slice(1).map((t, i) => t - during[i]!)
      assert.ok(during.length > 3, `got ${during.length} lines during the burst`)
      assert.ok(
        Math.max(...gaps) <= 100,
        `longest gap during the burst: ${Math.max(...gaps).toFixed(1)} ms`,
      )

      for (const client of bridge.engine.listClients())
        if (client.endpoint === '/ws') bridge.engine.disconnectClient(client.id)
      await new Promise<void>((resolve) => {
        const check = (): void =>
          bridge.engine.listClients().length === 1 ? resolve() : void setTimeout(check, 20)
        check()
      })
      gc()
      const heapAfter = process.memoryUsage().heapUsed
      // The refused list keeps its last 100 entries; everything else is released.
      assert.ok(heapAfter - heapBefore < 4 * 1024 * 1024, `heap ${heapBefore} → ${heapAfter}`)
    } finally {
      clearInterval(ticker)
      await watcher.close()
    }
  })
})
