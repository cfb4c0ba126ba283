import './dom-setup'
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { fireEvent, screen, within } from '@testing-library/react'
import type { PortInfo } from '../../common/engine-api'
import { validatePortSettings } from '../../common/validation'
import { whenText } from '../../renderer/src/clients/rule-text'
import { createBridgeStandIn, portInfo, type BridgeStandIn } from './bridge-stand-in'
import { cleanup, renderApp } from './render-app'

afterEach(cleanup)

function meter(state: PortInfo['state'], extra: Partial<PortInfo> = {}): PortInfo {
  const result = validatePortSettings({ path: '/dev/ttyUSB0', id: 'meter' })
  if (!result.ok) throw new Error(result.errors.join('; '))
  return { ...portInfo(result.value, state), ...extra }
}

async function card(bridge: BridgeStandIn) {
  renderApp(bridge)
  return screen.findByRole('article', { name: 'Port meter' })
}

/** Another window (or the engine's timer) changes the port. */
function changedElsewhere(bridge: BridgeStandIn, port: PortInfo) {
  bridge.ports = [port]
  bridge.emit('port', { port })
}

describe('Release for… on the port card', () => {
  test('each choice releases for its time, and the card says in words when the port comes back', async () => {
    for (const [choice, seconds] of [
      ['1 min', 60],
      ['5 min', 300],
    ] as const) {
      const bridge = createBridgeStandIn()
      bridge.ports = [meter('open')]
      const c = await card(bridge)
      const before = Date.now()
      fireEvent.click(within(c).getByRole('button', { name: 'Release for…' }))
      const choices = within(c).getByRole('group', { name: 'Release meter for' })
      fireEvent.click(within(choices).getByRole('button', { name: choice }))
      await within(c).findByText('/dev/ttyUSB0 is free for another program')
      const call = bridge.calls.find((x) => x.op === 'releasePort')!
      assert.deepEqual(call.args, ['meter', seconds])
      const until = new Date(bridge.ports[0]!.until!)
      assert.ok(until.getTime() >= before + seconds * 1000)
      // A clock time today; with its date when the release ends after midnight.
      const when = whenText(until.toISOString(), Date.now())
      assert.ok(
        within(c).getByText(
          `Released to another program until ${when}: it opens again by itself then`,
        ),
      )
      assert.ok(within(c).getByText('Released', { selector: '.badge' }))
      cleanup()
    }
  })

  test('"until I reopen" releases with no time, and Open ends the release', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [meter('open')]
    const c = await card(bridge)
    fireEvent.click(within(c).getByRole('button', { name: 'Release for…' }))
    fireEvent.click(within(c).getByRole('button', { name: 'until I reopen' }))
    await within(c).findByText('Released to another program until you open it again')
    assert.deepEqual(bridge.calls.find((x) => x.op === 'releasePort')!.args, ['meter', null])
    assert.equal(within(c).queryByRole('group', { name: 'Release meter for' }), null)

    fireEvent.click(within(c).getByRole('button', { name: 'Open' }))
    await within(c).findByText('/dev/ttyUSB0 is open')
    assert.deepEqual(bridge.calls.at(-1), { op: 'openPort', args: ['meter'] })
    assert.equal(within(c).queryByText(/^Released to another program/), null)
    assert.ok(within(c).getByRole('button', { name: 'Close' }))
  })

  test('a closed port has nothing to release; the button stays in its place, disabled', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [meter('closed')]
    const c = await card(bridge)
    const release = within(c).getByRole<HTMLButtonElement>('button', { name: 'Release for…' })
    assert.equal(release.disabled, true)
    const buttons = within(c)
      .getAllByRole('button')
      .map((b) => b.textContent)
    changedElsewhere(bridge, meter('open'))
    await within(c).findByRole('button', { name: 'Close' })
    assert.equal(release.disabled, false)
    assert.deepEqual(
      within(c)
        .getAllByRole('button')
        .map((b) => b.textContent),
      buttons.map((t) => (t === 'Open' ? 'Close' : t)),
      'no button moved: only Open became Close',
    )
  })

  test('a choice clicked after the port was closed elsewhere releases nothing, and says so', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [meter('open')]
    const c = await card(bridge)
    fireEvent.click(within(c).getByRole('button', { name: 'Release for…' }))
    changedElsewhere(bridge, meter('closed'))
    await within(c).findByText('Closed', { selector: '.badge' })
    const choices = within(c).getByRole('group', { name: 'Release meter for' })
    fireEvent.click(within(choices).getByRole('button', { name: '5 min' }))
    await within(c).findByText('/dev/ttyUSB0 was closed meanwhile: not released')
    assert.equal(bridge.calls.filter((x) => x.op === 'releasePort').length, 0)
  })

  test('a release that ends by itself under the pointer never turns a click on Open into Close', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [meter('released', { until: new Date(Date.now() + 60_000).toISOString() })]
    const c = await card(bridge)
    const open = within(c).getByRole('button', { name: 'Open' })
    fireEvent.pointerEnter(open)
    // The release time is up: the engine reopens the port while the pointer is on the button.
    changedElsewhere(bridge, meter('open'))
    await within(c).findByText('Open', { selector: '.badge' })
    assert.equal(open.textContent, 'Open', 'the button keeps what it said under the pointer')
    fireEvent.click(open)
    await within(c).findByText('/dev/ttyUSB0 is open')
    assert.equal(bridge.calls.filter((x) => x.op === 'closePort').length, 0)
    fireEvent.pointerLeave(open)
    assert.ok(within(c).getByRole('button', { name: 'Close' }))
  })
})
