import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { CapabilityContext, CapabilityFactory } from '../../main/core/capability'
import { startEngine } from '../helpers/engine-fixture'
import { TestClient } from '../helpers/ws-client'
import { waitFor } from '../helpers/wait'

/**
 * The seam every engine capability (polls, recording, MQTT, ...) plugs into, exercised with a
 * small capability of the test's own over a real engine and a real client.
 */
describe('engine capabilities', () => {
  test('start and stop with the engine, see frames and client departures, extend hello and PortInfo', async () => {
    const seen: string[] = []
    let context: CapabilityContext | null = null
    const probe: CapabilityFactory = (ctx) => {
      context = ctx
      ctx.bus.on('rx', (frame) => seen.push(`rx ${frame.port}`))
      ctx.bus.on('clientClosed', ({ id }) => seen.push(`left ${id}`))
      return {
        name: 'probe',
        features: ['probe'],
        start: () => void seen.push('start'),
        stop: () => void seen.push('stop'),
        describePort: () => ({ error: 'described by the probe' }),
      }
    }
    const bridge = await startEngine(
      { ports: [{ id: 'sim', path: 'sim:demo' }] },
      { capabilities: [probe] },
    )
    const client = await TestClient.connect(`${bridge.url}/ws`)
    const hello = await client.nextMessage('hello')
    assert.deepEqual(hello.features?.slice(-1), ['probe'], 'after the built-in features')
    assert.match(hello.epoch ?? '', /^[0-9a-z]+-[0-9a-f]{4}$/)
    assert.equal(hello.ports[0]?.error, 'described by the probe')
    await waitFor(() => seen.includes('rx sim'), { what: 'a frame seen by the capability' })
    await client.close()
    await waitFor(() => seen.includes(`left ${hello.clientId}`), { what: 'the client leaving' })
    assert.ok(context)
    await bridge.stop()
    assert.equal(seen[0], 'start')
    assert.equal(seen.at(-1), 'stop')
  })

  test("a capability whose listener throws is logged; the port's frames still reach clients", async () => {
    const faults: string[] = []
    const faulty: CapabilityFactory = (ctx) => {
      ctx.bus.on('rx', () => {
        throw new Error('a bug in a capability')
      })
      return { name: 'faulty' }
    }
    const bridge = await startEngine(
      { ports: [{ id: 'sim', path: 'sim:demo' }] },
      {
        capabilities: [faulty],
        logFault: (where, error) => faults.push(`${where}: ${String(error)}`),
      },
    )
    try {
      const client = await TestClient.connect(`${bridge.url}/ports/sim`)
      await client.next((r) => (/^T=/.test(r.data) ? r : undefined), { what: 'a reading' })
      await client.next((r) => (/^T=/.test(r.data) ? r : undefined), { what: 'another reading' })
      assert.match(faults[0] ?? '', /a capability's "rx" listener: Error: a bug in a capability/)
      await client.close()
    } finally {
      await bridge.stop()
    }
  })
})
