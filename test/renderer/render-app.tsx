import { cleanup, render } from '@testing-library/react'
import { App, type AppProps } from '../../renderer/src/app'
import type { BridgeStandIn } from './bridge-stand-in'

/** Renders the whole app against a stand-in bridge; returns what RTL gives back. */
export function renderApp(bridge: BridgeStandIn, props: Partial<AppProps> = {}) {
  return render(<App bridge={bridge} {...props} />)
}

export { cleanup }
