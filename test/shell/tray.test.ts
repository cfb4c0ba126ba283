import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  bindTray,
  trayMenuTemplate,
  trayTooltip,
  type TrayActions,
  type TrayMenuItem,
  type TrayState,
} from '../../main/shell/tray'
import { startEngine } from '../helpers/engine-fixture'
import { waitFor } from '../helpers/wait'
import { FakeTray } from './electron-stand-in'

const port = (id: string, state: 'open' | 'closed') =>
  ({ id, path: `sim:${id}`, state }) as unknown as TrayState['ports'][number]

const state: TrayState = {
  server: { state: 'listening', url: 'ws://127.0.0.1:8765' },
  ports: [port('a', 'open'), port('b', 'closed'), port('c', 'open')],
  clients: 1,
}

function recordingActions() {
  const calls: string[] = []
  const actions: TrayActions = {
    show: () => calls.push('show'),
    openAll: () => calls.push('openAll'),
    closeAll: () => calls.push('closeAll'),
    quit: () => calls.push('quit'),
  }
  return { calls, actions }
}

describe('tray', () => {
  it('tooltip names the server address, open ports and clients, within 127 characters', () => {
    const tip = trayTooltip(state)
    assert.equal(tip, 'Serial Bridge\nws://127.0.0.1:8765\n2 of 3 ports open · 1 client')
    assert.ok(tip.length <= 127)
    assert.match(
      trayTooltip({
        server: { state: 'error', url: null, error: 'EADDRINUSE' },
        ports: [],
        clients: 2,
      }),
      /error: EADDRINUSE\n0 of 0 ports open · 2 clients/,
    )
  })

  it('menu shows the state and offers Show, Open all, Close all, Quit', () => {
    const { calls, actions } = recordingActions()
    const menu = trayMenuTemplate(state, actions)
    assert.deepEqual(
      menu.map((m) => m.label ?? m.type),
      [
        'Server: ws://127.0.0.1:8765',
        'Open ports: 2 of 3',
        '    a (sim:a)',
        '    c (sim:c)',
        'Clients: 1',
        'separator',
        'Show Serial Bridge',
        'Open all ports',
        'Close all ports',
        'separator',
        'Quit',
      ],
    )
    for (const item of menu.slice(0, 5)) assert.equal(item.enabled, false, 'status lines')
    const click = (label: string) => menu.find((m) => m.label === label)!.click!()
    click('Show Serial Bridge')
    click('Open all ports')
    click('Close all ports')
    click('Quit')
    assert.deepEqual(calls, ['show', 'openAll', 'closeAll', 'quit'])
  })

  it('shows the MQTT uplink in the tooltip and the menu when it is on, within 127 characters', () => {
    const mqtt = {
      state: 'connected',
      url: 'mqtt://broker.lab:1883',
      clientId: 'serial-bridge-lab-pc',
      topicPrefix: 'serial-bridge/lab-pc',
      commands: false,
      published: 12_345,
      dropped: 2,
      queued: 0,
      commandsHandled: 0,
      commandsForbidden: 0,
    } as const
    const tip = trayTooltip({ ...state, mqtt })
    assert.equal(
      tip,
      'Serial Bridge\nws://127.0.0.1:8765\n2 of 3 ports open · 1 client\nMQTT: connected · 12,345 sent · 2 dropped',
    )
    const down = trayTooltip({
      ...state,
      mqtt: {
        ...mqtt,
        state: 'error',
        error: 'broker not reachable (connect ECONNREFUSED 10.0.0.5:1883)',
      },
    })
    assert.match(down, /\nMQTT: broker not reachable$/)
    assert.ok(down.length <= 127)
    const menu = trayMenuTemplate({ ...state, mqtt }, recordingActions().actions)
    assert.ok(menu.some((m) => m.label === 'MQTT: connected · 12,345 sent · 2 dropped'))
    assert.equal(trayTooltip({ ...state, mqtt: { ...mqtt, state: 'off' } }), trayTooltip(state))
  })

  it('lists at most ten open ports', () => {
    const many = Array.from({ length: 14 }, (_, i) => port(`p${i}`, 'open'))
    const menu = trayMenuTemplate({ ...state, ports: many }, recordingActions().actions)
    const listed = menu.filter((m) => m.label?.startsWith('    '))
    assert.equal(listed.length, 11)
    assert.equal(listed.at(-1)!.label, '    …and 4 more')
  })

  describe('bound to a real engine', () => {
    let fixture: Awaited<ReturnType<typeof startEngine>>
    before(async () => {
      fixture = await startEngine({ ports: [{ id: 'sim1', path: 'sim:demo', autoOpen: false }] })
    })
    after(() => fixture?.stop())

    it('follows the engine: a port opening updates tooltip and menu; a click shows the window', async () => {
      const tray = new FakeTray<TrayMenuItem[]>()
      const { calls, actions } = recordingActions()
      const unbind = bindTray(tray, (template) => template, fixture.engine, actions)
      try {
        assert.match(tray.tooltip, /0 of 1 port open · 0 clients/)
        assert.match(tray.tooltip, new RegExp(fixture.url.replace(/[.]/g, '\\.')))
        const opened = await fixture.engine.openPort('sim1')
        assert.ok(opened.ok)
        await waitFor(() => tray.tooltip.includes('1 of 1 port open'), { what: 'tray update' })
        assert.ok(tray.menu?.some((m) => m.label === '    sim1 (sim:demo)'))
        tray.emit('click')
        assert.deepEqual(calls, ['show'])
      } finally {
        unbind()
      }
    })
  })
})
