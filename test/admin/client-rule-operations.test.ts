import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createBridgeOperations } from '../../main/admin/bridge-operations'
import { checkOperationArgs, defaultAppPreferences } from '../../main/admin/operation-args'
import { startEngine } from '../helpers/engine-fixture'

describe('client rule operations over a real engine', () => {
  let fixture: Awaited<ReturnType<typeof startEngine>>
  let ops: ReturnType<typeof createBridgeOperations>

  before(async () => {
    fixture = await startEngine({
      server: {
        clientRules: [
          { match: { name: 'old' }, action: 'block', until: '2020-01-01T00:00:00.000Z' },
        ],
      },
    })
    ops = createBridgeOperations(fixture.engine, {
      getPreferences: defaultAppPreferences,
      setPreferences: defaultAppPreferences,
      saveText: async () => null,
    })
  })
  after(() => fixture?.stop())

  const rules = () => fixture.engine.getSettings().server.clientRules

  it('a rule for the same match and action replaces the old one; another action is kept', async () => {
    const started = Date.now()
    assert.ok(
      (await ops.addClientRule({ match: { name: 'tool' }, action: 'block', seconds: 600 })).ok,
    )
    const until = Date.parse(rules().at(-1)!.until!)
    assert.ok(until >= started + 600_000 && until <= Date.now() + 600_000)
    assert.ok(
      (await ops.addClientRule({ match: { name: 'TOOL' }, action: 'block', seconds: null })).ok,
    )
    assert.ok(
      (await ops.addClientRule({ match: { name: 'tool' }, action: 'readOnly', seconds: null })).ok,
    )
    assert.deepEqual(rules(), [
      { match: { name: 'old' }, action: 'block', until: '2020-01-01T00:00:00.000Z' },
      { match: { name: 'TOOL' }, action: 'block', until: null },
      { match: { name: 'tool' }, action: 'readOnly', until: null },
    ])
  })

  it('removes a rule by match and action, expired ones too; an unknown one is an error', async () => {
    assert.ok((await ops.removeClientRule({ name: 'old' }, 'block')).ok)
    assert.ok((await ops.removeClientRule({ name: 'tool' }, 'block')).ok)
    assert.deepEqual(await ops.removeClientRule({ name: 'tool' }, 'block'), {
      ok: false,
      errors: ['no such rule'],
    })
    assert.deepEqual(
      rules().map((r) => r.action),
      ['readOnly'],
    )
  })

  it('checks the arguments and names the wrong field', () => {
    const bad = (args: unknown[]) => {
      const r = checkOperationArgs('addClientRule', args)
      return r.ok ? [] : r.errors
    }
    assert.match(
      bad([{ match: { name: 'a b' }, action: 'block', seconds: null }])[0]!,
      /^match\.name: /,
    )
    assert.match(bad([{ match: { name: 'a' }, action: 'kick', seconds: null }])[0]!, /^action: /)
    assert.match(bad([{ match: { name: 'a' }, action: 'block', seconds: 0 }])[0]!, /^seconds: /)
    assert.match(bad([{ match: { name: 'a' }, action: 'block' }])[0]!, /^seconds: /)
    const remove = checkOperationArgs('removeClientRule', [{ origin: '' }, 'block'])
    assert.match(remove.ok ? '' : remove.errors[0]!, /^origin: /)
  })
})
