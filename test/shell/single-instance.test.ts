import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { claimSingleInstance } from '../../main/shell/single-instance'
import { FakeApp } from './electron-stand-in'

describe('single instance', () => {
  it('lets the first instance run and focuses it when a second one starts', () => {
    const app = new FakeApp(true)
    let secondLaunches = 0
    assert.equal(
      claimSingleInstance(app, () => secondLaunches++),
      true,
    )
    app.emit('second-instance', {}, ['serial-bridge.exe'], 'C:\\')
    assert.equal(secondLaunches, 1)
  })

  it('tells the second instance to quit', () => {
    const app = new FakeApp(false)
    assert.equal(
      claimSingleInstance(app, () => assert.fail('not called')),
      false,
    )
    assert.equal(app.listenerCount('second-instance'), 0)
  })
})
