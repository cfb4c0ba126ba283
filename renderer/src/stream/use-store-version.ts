import { useEffect, useState } from 'react'
import type { FrameStore } from './frame-store'

/** Re-renders the caller at most once per animation frame while frames arrive. */
export function useStoreVersion(store: FrameStore): number {
  const [version, setVersion] = useState(store.version)
  useEffect(() => {
    let scheduled = 0
    const unsubscribe = store.subscribe(() => {
      if (scheduled) return
      scheduled = requestAnimationFrame(() => {
        scheduled = 0
        setVersion(store.version)
      })
    })
    setVersion(store.version)
    return () => {
      unsubscribe()
      if (scheduled) cancelAnimationFrame(scheduled)
    }
  }, [store])
  return version
}
