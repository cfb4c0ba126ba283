import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ItemQueue } from '../../../clients/js/src/item-queue'
import { Frame, Gap, type StreamItem } from '../../../clients/js/src/items'

const frame = (seq: number) =>
  new Frame(
    {
      type: 'data',
      port: 'p',
      data: `#${seq}`,
      encoding: 'utf8',
      ts: new Date(0).toISOString(),
      seq,
    },
    'utf8',
  )

async function drain(queue: ItemQueue, count: number): Promise<string[]> {
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const next = await queue.next()
    assert.equal(next.done, false)
    out.push(String(next.value as StreamItem))
  }
  return out
}

describe('ItemQueue: a stream waiting for its reader', () => {
  test('a reader already waiting gets the item at once', async () => {
    const queue = new ItemQueue(10, () => undefined)
    const next = queue.next()
    queue.push(frame(1))
    assert.equal(String((await next).value), '#1')
  })

  test('full: frames are dropped and one Gap names them once the reader catches up', async () => {
    let gaps = 0
    const queue = new ItemQueue(4, () => (gaps += 1))
    for (let seq = 1; seq <= 10; seq++) queue.push(frame(seq))
    assert.equal(queue.length, 4)
    assert.equal(gaps, 1)
    assert.deepEqual(await drain(queue, 2), ['#1', '#2'])
    // Room again: what comes now follows the gap.
    queue.push(frame(11))
    assert.deepEqual(await drain(queue, 4), ['#3', '#4', '[gap: p frames 5..10 lost]', '#11'])
    assert.equal(gaps, 1)
  })

  test('a restart inside the dropped range makes its end unknown', async () => {
    const queue = new ItemQueue(1, () => undefined)
    queue.push(frame(1))
    queue.push(frame(2))
    queue.push(new Gap('p', 3, null, true))
    queue.push(frame(1))
    await drain(queue, 1)
    const [gap] = await drain(queue, 1)
    assert.equal(gap, '[gap: p frames 2..? lost, bridge restarted]')
  })

  test('end(): what is queued is still read, then done; end(error): then the error', async () => {
    const queue = new ItemQueue(10, () => undefined)
    queue.push(frame(1))
    queue.end()
    queue.push(frame(2))
    assert.deepEqual(await drain(queue, 1), ['#1'])
    assert.deepEqual(await queue.next(), { value: undefined, done: true })

    const failing = new ItemQueue(10, () => undefined)
    const waiting = failing.next()
    failing.end(new Error('gone'))
    await assert.rejects(waiting, /gone/)
    await assert.rejects(failing.next(), /gone/)
  })
})
