import './dom-setup'
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { fireEvent, screen } from '@testing-library/react'
import { validatePortSettings } from '../../common/validation'
import { createBridgeStandIn, portInfo } from './bridge-stand-in'
import { cleanup, renderApp } from './render-app'

afterEach(cleanup)

describe('Plot view', () => {
  test('"Paused at" is a 24-hour clock time', async () => {
    const bridge = createBridgeStandIn()
    const r = validatePortSettings({ id: 'meter', path: 'sim:demo' })
    if (!r.ok) throw new Error(r.errors.join('; '))
    bridge.ports = [portInfo(r.value, 'open')]
    renderApp(bridge, { initialTab: 'Plot' })
    fireEvent.click(await screen.findByRole('button', { name: 'Pause' }))
    const note = await screen.findByText(/^Paused at /)
    assert.match(note.textContent ?? '', /^Paused at \d{2}:\d{2}:\d{2}: new numbers are kept/)
  })
})
