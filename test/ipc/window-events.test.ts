import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { eventChannels } from '../../common/contract'
import { createWindowEmitter } from '../../main/ipc/window-events'
import { FakeWebContents } from '../shell/electron-stand-in'

describe('window event emitter', () => {
  it('sends each event on its contract channel', () => {
    const contents = new FakeWebContents()
    const emit = createWindowEmitter(() => contents)
    emit('notice', { level: 'info', message: 'hello' })
    emit('server', { state: 'listening', url: 'ws://127.0.0.1:8765' })
    assert.deepEqual(contents.sent, [
      { channel: eventChannels.notice, payload: { level: 'info', message: 'hello' } },
      {
        channel: eventChannels.server,
        payload: { state: 'listening', url: 'ws://127.0.0.1:8765' },
      },
    ])
  })

  it('drops events while there is no window, or after it was destroyed', () => {
    let current: FakeWebContents | null = null
    const emit = createWindowEmitter(() => current)
    emit('notice', { level: 'info', message: 'no window yet' })
    current = new FakeWebContents()
    current.destroyed = true
    emit('notice', { level: 'info', message: 'window gone' })
    assert.deepEqual(current.sent, [])
  })
})
