import { useEffect, useMemo, useState } from 'react'
import type { BridgeApi } from '../../common/contract'
import { ServicesContext, type AppServices } from './app-state/bridge-context'
import { useEngineState } from './app-state/use-engine-state'
import { AppTabs, panelId, tabId, type TabName } from './app-tabs'
import { useConnectionState } from './bridge/use-connection-state'
import type { AdminConnection } from './bridge/web-bridge'
import { ClientsView } from './clients/clients-view'
import { ConnectPanel } from './connect/connect-panel'
import { PlotStore } from './plot/plot-store'
import { PlotView } from './plot/plot-view'
import { PortsView } from './ports/ports-view'
import { RecordingsView } from './recording/recordings-view'
import { SettingsView } from './settings/settings-view'
import { StatusBar } from './status-bar/status-bar'
import { FrameStore } from './stream/frame-store'
import { StreamView } from './stream/stream-view'

export interface AppProps {
  bridge: BridgeApi
  connection?: AdminConnection | null
  /** Injected by tests; the app makes its own otherwise. */
  frames?: FrameStore
  plots?: PlotStore
  initialTab?: TabName
}

export function App({ bridge, connection = null, frames, plots, initialTab = 'Ports' }: AppProps) {
  const services: AppServices = useMemo(
    () => ({ bridge, frames: frames ?? new FrameStore(), plots: plots ?? new PlotStore() }),
    [bridge, frames, plots],
  )
  useEffect(
    () =>
      bridge.onFrames((batch) => {
        services.frames.add(batch)
        services.plots.add(batch)
      }),
    [bridge, services],
  )
  const engine = useEngineState(bridge, connection)
  const admin = useConnectionState(connection)
  const refused = admin?.state === 'refused' ? admin : null
  const { state } = engine
  const [tab, setTab] = useState<TabName>(initialTab)
  const [selectedPort, setSelectedPort] = useState<string | null>(null)
  const token = state.settings?.server.token ?? null

  const show = (next: TabName, portId: string) => {
    setSelectedPort(portId)
    setTab(next)
  }

  return (
    <ServicesContext.Provider value={services}>
      <div className="app">
        <header className="app-header">
          <h1>Serial Bridge</h1>
          <AppTabs active={tab} onChange={setTab} badges={{ Clients: state.clients.length }} />
        </header>
        {(refused || state.loadError || state.notices.length > 0) && (
          <div className="banners">
            {refused && (
              <p className="banner error" role="alert">
                {refused.tokenSent
                  ? "This link's admin token is no longer valid."
                  : 'This page has no admin token.'}{' '}
                Open the address headless mode printed after <code>ui:</code> (it ends with{' '}
                <code>#adminToken=…</code>); pasting it into this tab is enough.
              </p>
            )}
            {state.loadError && (
              <p className="banner error" role="alert">
                Could not load the state of Serial Bridge: {state.loadError}{' '}
                <button type="button" onClick={() => void engine.reload()}>
                  Try again
                </button>
              </p>
            )}
            {state.notices.map((notice, i) => (
              <p key={i} className={`banner ${notice.level}`} role="alert">
                {notice.message}{' '}
                <button type="button" onClick={() => engine.dismissNotice(notice)}>
                  Dismiss
                </button>
              </p>
            ))}
          </div>
        )}
        <main className="app-main" role="tabpanel" id={panelId(tab)} aria-labelledby={tabId(tab)}>
          {!state.loaded && !state.loadError ? (
            <p className="view muted">
              {refused ? 'Not connected: see above.' : 'Connecting to Serial Bridge…'}
            </p>
          ) : tab === 'Ports' ? (
            <PortsView
              engine={engine}
              visible
              onShowStream={(id) => show('Stream', id)}
              onShowPlot={(id) => show('Plot', id)}
              onShowConnect={(id) => show('Connect', id)}
            />
          ) : tab === 'Stream' ? (
            <StreamView ports={state.ports} selected={selectedPort} onSelect={setSelectedPort} />
          ) : tab === 'Recordings' ? (
            <RecordingsView ports={state.ports} />
          ) : tab === 'Plot' ? (
            <PlotView ports={state.ports} selected={selectedPort} onSelect={setSelectedPort} />
          ) : tab === 'Clients' ? (
            <ClientsView
              clients={state.clients}
              refused={state.refused}
              allowedOrigins={state.settings?.server.allowedOrigins ?? []}
              rules={state.settings?.server.clientRules ?? []}
              onClearRefused={engine.clearRefused}
            />
          ) : tab === 'Settings' ? (
            <SettingsView
              settings={state.settings}
              server={state.server}
              mqtt={state.mqtt}
              ports={state.ports}
            />
          ) : (
            <ConnectPanel
              ports={state.ports}
              selected={selectedPort}
              onSelect={setSelectedPort}
              server={state.server}
              token={token}
              mqtt={state.mqtt}
              mqttSettings={state.settings?.mqtt ?? null}
            />
          )}
        </main>
        <StatusBar
          server={state.server}
          clients={state.clients.length}
          ports={state.ports}
          connection={connection}
          mqtt={state.mqtt}
        />
      </div>
    </ServicesContext.Provider>
  )
}
