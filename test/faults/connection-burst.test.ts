import assert from 'node:assert/strict'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { after, before, describe, test } from 'node:test'
import WebSocket from 'ws'
import type { Instrument } from '../helpers/instrument'
import { startPtyBridge, type PtyBridge } from '../helpers/pty-bridge'
import { TestClient } from '../helpers/ws-client'
import { waitFor } from '../helpers/wait'

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
    rig = await startPtyBridge(
      'burst',
      { id: 'tick' },
      // The pending-connection caps (test/bounds) would close some of a one-address burst
      // before its upgrade is answered: out of the way, so every refusal here is maxClients'.
      {
        server: {
          maxClients: CAP,
          maxPendingConnections: ATTEMPTS,
          maxPendingConnectionsPerAddress: ATTEMPTS,
        },
      },
    )
    ;({ bridge, instrument } = rig)
  })
  after(async () => {
    await rig.stop()
  })

  test('past the cap get 503, memory returns to its level, connected clients are served all through it', async () => {
    const watcher = await TestClient.connect(bridge.url + '/ports/tick')
    // For each line the watcher gets: how many of the burst's attempts had been answered by then.
    let answered = 0
    const arrivals: number[] = []
    watcher.ws.on('message', () => arrivals.push(answered))
    let n = 0
    const ticker = setInterval(() => void instrument.write(`t${n++}\n`), 10)
    try {
      gc()
      const heapBefore = process.memoryUsage().heapUsed
      const statuses = await Promise.all(
        Array.from({ length: ATTEMPTS }, () =>
          attempt(bridge.url + '/ws').then((status) => (answered++, status)),
        ),
      )
      const opened = statuses.filter((s) => s === 101).length
      assert.equal(opened, CAP - 1, 'the cap counts the watching client too')
      assert.equal(statuses.filter((s) => s === 503).length, ATTEMPTS - opened)
      assert.equal(bridge.engine.listRefused().at(-1)?.reason, 'capacity')

      // Served while the burst goes on, not after it: lines arrived in both halves of it.
      const firstHalf = arrivals.filter((a) => a > 0 && a < ATTEMPTS / 2).length
      const secondHalf = arrivals.filter((a) => a >= ATTEMPTS / 2 && a < ATTEMPTS).length
      assert.ok(
        firstHalf > 0 && secondHalf > 0,
        `lines while the first half was answered: ${firstHalf}, the second: ${secondHalf}`,
      )
      // And lost nothing: every line the instrument sent, in order.
      clearInterval(ticker)
      await waitFor(() => watcher.received.length >= n, { what: 'the last lines' })
      assert.deepEqual(
        watcher.received.map((r) => r.data),
        Array.from({ length: n }, (_, i) => `t${i}`),
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
