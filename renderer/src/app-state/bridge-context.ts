import { createContext, useContext } from 'react'
import type { BridgeApi } from '../../../common/contract'
import type { PlotStore } from '../plot/plot-store'
import type { FrameStore } from '../stream/frame-store'

export interface AppServices {
  bridge: BridgeApi
  frames: FrameStore
  plots: PlotStore
}

export const ServicesContext = createContext<AppServices | null>(null)

export function useServices(): AppServices {
  const services = useContext(ServicesContext)
  if (!services) throw new Error('useServices() needs <ServicesContext.Provider> above it')
  return services
}

export function useBridge(): BridgeApi {
  return useServices().bridge
}
