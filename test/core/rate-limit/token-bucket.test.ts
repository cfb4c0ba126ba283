import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MessageBudgets } from '../../../main/core/rate-limit/message-budgets'
import { TokenBucket } from '../../../main/core/rate-limit/token-bucket'

function clock() {
  let now = 0
  return { now: () => now, advance: (ms: number) => void (now += ms) }
}

describe('token bucket', () => {
  test('a burst of `rate`, then `rate` a second', () => {
    const c = clock()
    const bucket = new TokenBucket(c.now)
    for (let i = 0; i < 10; i++) assert.deepEqual(bucket.spend(10), { ok: true }, `message ${i}`)
    assert.deepEqual(bucket.spend(10), { ok: false, retryAfterMs: 100 })
    c.advance(50)
    assert.deepEqual(bucket.spend(10), { ok: false, retryAfterMs: 50 })
    c.advance(50)
    assert.deepEqual(bucket.spend(10), { ok: true })
    assert.equal(bucket.spend(10).ok, false)
    // A long pause refills to one second's worth, no more.
    c.advance(60_000)
    let sent = 0
    while (bucket.spend(10).ok) sent++
    assert.equal(sent, 10)
  })

  test('a refused message takes nothing: waiting the time it was told is enough', () => {
    const c = clock()
    const bucket = new TokenBucket(c.now)
    while (bucket.spend(4).ok);
    for (let i = 0; i < 5; i++) assert.equal(bucket.spend(4).ok, false)
    const refused = bucket.spend(4)
    assert.ok(!refused.ok)
    c.advance(refused.retryAfterMs)
    assert.equal(bucket.spend(4).ok, true)
  })

  test('a changed rate applies at the next message', () => {
    const c = clock()
    const bucket = new TokenBucket(c.now)
    while (bucket.spend(1000).ok);
    c.advance(10)
    // 10 ms at 1000/s is 10 messages; at 100/s it is one.
    assert.equal(bucket.spend(100).ok, true)
    assert.equal(bucket.spend(100).ok, false)
  })
})

describe('message budgets', () => {
  test('one bucket per client: one client spending its budget leaves the others theirs', () => {
    const c = clock()
    const budgets = new MessageBudgets(() => 3, c.now)
    const a = {}
    const b = {}
    for (let i = 0; i < 3; i++) assert.equal(budgets.spend(a).ok, true)
    assert.equal(budgets.spend(a).ok, false)
    assert.equal(budgets.spend(b).ok, true)
    assert.equal(budgets.spend('name logger').ok, true)
  })

  test('REST callers are kept within a bound, the longest unseen forgotten first', () => {
    const c = clock()
    const budgets = new MessageBudgets(() => 1, c.now)
    assert.equal(budgets.spend('first').ok, true)
    assert.equal(budgets.spend('first').ok, false)
    for (let i = 0; i < 1024; i++) budgets.spend(`caller ${i}`)
    // Forgotten, so it starts with a full bucket again.
    assert.equal(budgets.spend('first').ok, true)
  })
})
