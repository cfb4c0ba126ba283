import './dom-setup'
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { validatePortSettings } from '../../common/validation'
import { createBridgeStandIn, portInfo } from './bridge-stand-in'
import { cleanup, renderApp } from './render-app'

afterEach(cleanup)

const demo = () => {
  const r = validatePortSettings({ id: 'demo', path: 'sim:demo' })
  if (!r.ok) throw new Error(r.errors.join('; '))
  return portInfo(r.value, 'open')
}

describe('recording in the UI', () => {
  test('the Record toggle on a port card starts and stops the recording', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [demo()]
    renderApp(bridge)
    const card = await screen.findByRole('article', { name: 'Port demo' })
    fireEvent.click(within(card).getByRole('button', { name: 'Record' }))
    await within(card).findByText('Recording')
    assert.ok(within(card).getByText(/2\.0 KB/))
    fireEvent.click(within(card).getByRole('button', { name: 'Stop recording' }))
    await within(card).findByText('Not recording')
    assert.deepEqual(
      bridge.calls.filter((c) => c.op === 'setRecording').map((c) => c.args),
      [
        ['demo', true],
        ['demo', false],
      ],
    )
  })

  test('the Recordings view lists files and deletes one only after confirmation', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [demo()]
    bridge.recordings = [
      {
        port: 'demo',
        file: 'demo/2026-11-23T09-15-02Z.jsonl',
        start: '2026-11-23T09:15:02.000Z',
        end: '2026-11-23T10:15:02.000Z',
        bytes: 4096,
        frames: 14_400,
        recording: false,
      },
    ]
    renderApp(bridge, { initialTab: 'Recordings' })
    const row = await screen.findByRole('row', {
      name: 'Recording demo/2026-11-23T09-15-02Z.jsonl',
    })
    assert.ok(within(row).getByText('14,400'))
    assert.ok(within(row).getByText('4.0 KB'))
    fireEvent.click(within(row).getByRole('button', { name: 'Delete' }))
    assert.equal(
      bridge.calls.some((c) => c.op === 'deleteRecording'),
      false,
      'not before confirming',
    )
    fireEvent.click(within(row).getByRole('button', { name: 'Delete recording' }))
    await screen.findByText(/No recordings yet/)
    assert.deepEqual(bridge.calls.find((c) => c.op === 'deleteRecording')?.args, [
      'demo/2026-11-23T09-15-02Z.jsonl',
    ])
    await waitFor(() => assert.ok(screen.getByText('Deleted demo/2026-11-23T09-15-02Z.jsonl')))
  })

  test('the Recordings view writes times 24-hour, with the date when not today', async () => {
    const bridge = createBridgeStandIn()
    bridge.ports = [demo()]
    const today = new Date()
    today.setHours(0, 53, 45, 0)
    bridge.recordings = [
      {
        port: 'demo',
        file: 'demo/old.jsonl',
        start: new Date(2020, 10, 23, 13, 15, 2).toISOString(),
        end: today.toISOString(),
        bytes: 10,
        frames: 1,
        recording: false,
      },
    ]
    renderApp(bridge, { initialTab: 'Recordings' })
    const row = await screen.findByRole('row', { name: 'Recording demo/old.jsonl' })
    assert.ok(within(row).getByText('2020-11-23 13:15:02'), 'another day: with its date')
    assert.ok(within(row).getByText('00:53:45'), 'today: the time alone, not "12:53:45 AM"')
  })
})
