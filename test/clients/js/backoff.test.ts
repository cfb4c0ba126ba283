import assert from 'node:assert/strict'
import { test } from 'node:test'
import { backoffDelay, reconnectPolicy } from '../../../clients/js/src/backoff'

test('backoff: 250 ms doubling to 5 s, forever, shortened by up to a quarter', () => {
  const policy = reconnectPolicy(undefined)
  assert.equal(policy.maxAttempts, Infinity)
  const none = Array.from({ length: 8 }, (_, i) => backoffDelay(i, policy, () => 0))
  assert.deepEqual(none, [250, 500, 1000, 2000, 4000, 5000, 5000, 5000])
  const most = Array.from({ length: 7 }, (_, i) => backoffDelay(i, policy, () => 1))
  assert.deepEqual(most, [188, 375, 750, 1500, 3000, 3750, 3750])
  assert.equal(
    backoffDelay(10_000, policy, () => 0),
    5000,
    'no overflow after days of retrying',
  )
})

test('reconnect: false tries nothing; options override the defaults', () => {
  assert.equal(reconnectPolicy(false).maxAttempts, 0)
  assert.deepEqual(reconnectPolicy({ initialDelayMs: 10, maxDelayMs: 40, jitter: 2 }), {
    initialDelayMs: 10,
    maxDelayMs: 40,
    jitter: 1,
    maxAttempts: Infinity,
  })
})
