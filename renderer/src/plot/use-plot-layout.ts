import { useEffect, useState } from 'react'
import type { PlotStore } from './plot-store'

/**
 * Re-renders the caller when the port's channels change (a new name or unit), never per
 * sample: the chart reads the numbers itself.
 */
export function usePlotLayout(store: PlotStore, port: string | null): number {
  const read = () => (port === null ? -1 : store.of(port).layout)
  const [layout, setLayout] = useState(read)
  useEffect(() => {
    if (port === null) return
    const check = () => setLayout(store.of(port).layout)
    check()
    return store.subscribe(check)
  }, [store, port])
  return port === null ? -1 : layout
}
