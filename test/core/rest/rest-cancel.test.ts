import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { queryAnswerSchema } from '../../../common/rest/rest-schemas'
import type { CapabilityFactory } from '../../../main/core/capability'
import type { PortManager } from '../../../main/core/serial/port-manager'
import { jsonBody, restClient } from '../../helpers/rest-client'
import { startScriptedBridge, type ScriptedBridge } from '../../helpers/scripted-bridge'
import { waitFor } from '../../helpers/wait'

/**
 * What a REST request started is cancelled when its caller leaves (rest-api.ts gives each request
 * an owner and cancels it when the response closes unanswered), through a real engine, real
 * HTTP and an instrument on a pty that answers only when the test says.
 */
describe('REST API: a caller that leaves', () => {
  let rig: ScriptedBridge
  let api: ReturnType<typeof restClient>
  let ports: PortManager | undefined
  const faults: string[] = []
  /** Sees the engine's ports, to read how many queries wait on one (QueryQueue.length). */
  const queueWatch: CapabilityFactory = (ctx) => {
    ports = ctx.ports
    return { name: 'queue-watch' }
  }
  const queued = () => ports!.get('meter')!.queries.length

  before(async () => {
    rig = await startScriptedBridge(
      'rest-cancel',
      { id: 'meter', baudRate: 115200 },
      // Silent to FIRST? and SECOND?: the test answers FIRST? itself.
      (line) => (line === 'THIRD?' ? 'THREE' : undefined),
      {
        engine: {
          capabilities: [queueWatch],
          logFault: (where, error) => void faults.push(`${where}: ${(error as Error).message}`),
        },
      },
    )
    api = restClient(rig.bridge.url)
  })
  after(() => rig?.stop())

  test('a query waiting behind another, whose fetch is aborted, never reaches the instrument', async () => {
    const first = api('/ports/meter/query', jsonBody({ data: 'FIRST?', timeoutMs: 30_000 }))
    await waitFor(() => rig.meter.commands('FIRST?').length === 1, { what: 'FIRST? sent' })
    const leaving = new AbortController()
    const second = api('/ports/meter/query', {
      ...jsonBody({ data: 'SECOND?', timeoutMs: 30_000 }),
      signal: leaving.signal,
    })
    await waitFor(() => queued() === 2, {
      what: 'SECOND? waiting behind FIRST?',
      timeoutMs: 10_000,
    })
    leaving.abort()
    await assert.rejects(second, { name: 'AbortError' })
    await waitFor(() => queued() === 1, {
      what: 'the aborted query to leave the queue (rest-api.ts cancels its owner on close)',
      timeoutMs: 10_000,
    })

    await rig.meter.write('ONE\n')
    const answer = await first
    assert.equal(answer.status, 200, answer.text)
    assert.equal(queryAnswerSchema.parse(answer.body).data, 'ONE', 'the first one still completes')
    // The queue goes on in order: had SECOND? still waited, it would be written before THIRD?.
    const third = await api('/ports/meter/query', jsonBody({ data: 'THIRD?' }))
    assert.equal(queryAnswerSchema.parse(third.body).data, 'THREE')
    assert.deepEqual(
      rig.meter.arrivals.map((a) => a.line),
      ['FIRST?', 'THIRD?'],
    )
    assert.equal(queued(), 0)
    assert.deepEqual(faults, [])
  })
})
