import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { Instrument } from '../helpers/instrument'
import { SocatPair } from '../helpers/socat-pair'
import { startEngine } from '../helpers/engine-fixture'
import { TestClient } from '../helpers/ws-client'
import { waitFor } from '../helpers/wait'

const CYCLES = 50
const openFds = (): number => readdirSync('/proc/self/fd').length

describe('50 unplug / re-plug cycles (kill socat, start it again on the same links)', () => {
  const pty = new SocatPair('cycle')
  let bridge: Awaited<ReturnType<typeof startEngine>>

  before(async () => {
    await pty.plug()
    bridge = await startEngine({ ports: [{ id: 'dev', path: pty.a }] })
    await bridge.engine.openPort('dev')
  })
  after(async () => {
    await bridge.stop()
    await pty.dispose()
  })

  test('no crash, handles stable, reopened within 2 s each time, no line duplicated or lost', async () => {
    const reader = await TestClient.connect(bridge.url + '/ports/dev')
    const fdsBefore = openFds()
    const reopenMs: number[] = []
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const instrument = await Instrument.open(pty.b)
      await instrument.write(`line ${cycle}\n`)
      await reader.next((r) => (r.data === `line ${cycle}` ? true : undefined), {
        what: `line ${cycle}`,
      })
      await instrument.close()
      await pty.unplug()
      await waitFor(() => bridge.engine.listPorts()[0]?.state === 'reconnecting', {
        what: `reconnecting #${cycle}`,
      })
      const plugged = Date.now()
      await pty.plug()
      await waitFor(() => bridge.engine.listPorts()[0]?.state === 'open', {
        what: `reopen #${cycle}`,
        timeoutMs: 5000,
      })
      reopenMs.push(Date.now() - plugged)
    }
    assert.deepEqual(
      reader.received.map((r) => r.data),
      Array.from({ length: CYCLES }, (_, i) => `line ${i}`),
    )
    assert.equal(reader.ws.readyState, reader.ws.OPEN, 'the client stayed connected throughout')
    assert.ok(Math.max(...reopenMs) <= 2000, `slowest reopen ${Math.max(...reopenMs)} ms`)
    assert.equal(bridge.engine.listPorts()[0]?.metrics.reconnects, CYCLES)
    // The instrument side and socat come and go; the bridge's own handles must not pile up.
    assert.ok(openFds() <= fdsBefore + 2, `fds ${fdsBefore} → ${openFds()}`)
    await reader.close()
  })

  test('a write in flight at the unplug fails back to its sender', async () => {
    await waitFor(() => bridge.engine.listPorts()[0]?.state === 'open')
    const c = await TestClient.connect(bridge.url + '/ws')
    // Nobody reads the far end: a write far larger than the pty's buffer stays in flight.
    const big = Buffer.alloc(700 * 1024, 0x41).toString('base64')
    await c.nextMessage('hello')
    c.send({ type: 'write', port: 'dev', data: big, encoding: 'base64', id: 'big' })
    await waitFor(() => bridge.engine.listClients().some((x) => x.bytesIn > 700 * 1024), {
      what: 'the write to arrive',
    })
    await pty.unplug()
    const answer = await c.next(
      (r) => {
        const m = JSON.parse(r.data) as { type: string; id?: string; code?: string }
        return m.id === 'big' ? m : undefined
      },
      { timeoutMs: 10_000, what: 'an answer to the write' },
    )
    assert.equal(answer.type, 'error', JSON.stringify(answer))
    assert.equal(answer.code, 'PORT_NOT_OPEN')
    await pty.plug()
    await c.close()
  })
})
