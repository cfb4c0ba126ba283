import { useEffect, useMemo, useState } from 'react'
import type { BridgeApi } from '../../common/contract'
import { ServicesContext, type AppServices } from './app-state/bridge-context'
import { useEngineState } from './app-state/use-engine-state'
import { AppTabs, panelId, tabId, type TabName } from './app-tabs'
import type { AdminConnection } from './bridge/web-bridge'
import { ClientsView } from './clients/clients-view'
import { ConnectPanel } from './connect/connect-panel'
import { PlotStore } from './plot/plot-store'
import { PlotView } from './plot/plot-view'
import { PortsView } from './ports/ports-view'
import { SettingsView } from './settings/settings-view'
import { StatusBar } from './status-bar/status-bar'
import { FrameStore } from './stream/frame-store'
import { StreamView } from './stream/stream-view'

export interface AppProps {
  bridge: BridgeApi
  connection?: AdminConnection | null
  missingToken?: boolean
  /** Injected by tests; the app makes its own otherwise. */
  frames?: FrameStore
  plots?: PlotStore
  initialTab?: TabName
}

export function App({
  bridge,
  connection = null,
  missingToken = false,
  frames,
  plots,
  initialTab = 'Ports',
}: AppProps) {
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
        {(missingToken || state.loadError || state.notices.length > 0) && (
          <div className="banners">
            {missingToken && (
              <p className="banner error" role="alert">
                This page has no admin token. Open the address headless mode printed after{' '}
                <code>ui:</code> (it ends with <code>?adminToken=…</code>).
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
            <p className="view muted">Connecting to Serial Bridge…</p>
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
          ) : tab === 'Plot' ? (
            <PlotView ports={state.ports} selected={selectedPort} onSelect={setSelectedPort} />
          ) : tab === 'Clients' ? (
            <ClientsView
              clients={state.clients}
              refused={state.refused}
              allowedOrigins={state.settings?.server.allowedOrigins ?? []}
              rules={state.settings?.server.clientRules ?? []}
            />
          ) : tab === 'Settings' ? (
            <SettingsView settings={state.settings} />
          ) : (
            <ConnectPanel
              ports={state.ports}
              selected={selectedPort}
              onSelect={setSelectedPort}
              server={state.server}
              token={token}
            />
          )}
        </main>
        <StatusBar
          server={state.server}
          clients={state.clients.length}
          ports={state.ports}
          connection={connection}
        />
      </div>
    </ServicesContext.Provider>
  )
}
