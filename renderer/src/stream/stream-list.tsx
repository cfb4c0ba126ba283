import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef } from 'react'
import type { StreamFrame } from '../../../common/contract'
import { formatTime } from '../shared/format-time'
import { formatAscii, frameContent, type Encoding, type ViewMode } from './format-frame'

/** The frames a view shows, by index, without copying the ring. */
export interface FrameWindow {
  count: number
  get(index: number): StreamFrame | undefined
}

export interface StreamListProps {
  label: string
  frames: FrameWindow
  /** Changes whenever the content may have changed. */
  version: number
  mode: ViewMode
  encoding: Encoding
  timestamps: boolean
  follow: boolean
}

const ROW_HEIGHT = 20

/** Only the rows on screen are in the DOM, so 10,000 frames cost what 30 do. */
export function StreamList({
  label,
  frames,
  version,
  mode,
  encoding,
  timestamps,
  follow,
}: StreamListProps) {
  const scroller = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: frames.count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  })

  // Rows have a fixed height, so the end is known without asking the layout: scrollToIndex
  // reads scrollHeight on every update, a forced layout that cost ~20% of the main thread.
  useEffect(() => {
    const element = scroller.current
    if (follow && element) element.scrollTop = frames.count * ROW_HEIGHT
  }, [follow, frames.count, version])

  return (
    <div ref={scroller} className="stream-list" tabIndex={0} role="list" aria-label={label}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const frame = frames.get(item.index)
          if (!frame) return null
          const rx = frame.direction === 'rx'
          return (
            <div
              key={item.key}
              role="listitem"
              className={`frame ${frame.direction} ${mode}`}
              style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
            >
              {timestamps && <span className="ts">{formatTime(frame.ts, { millis: true })}</span>}
              <span className="dir" aria-hidden="true">
                {rx ? '←' : '→'}
              </span>
              <span className="sr-only">{rx ? 'received' : 'sent'}</span>
              <span className="data">{frameContent(frame, mode, encoding)}</span>
              {mode === 'hex' && (
                <span className="ascii" aria-label="as ASCII">
                  {formatAscii(frame.data)}
                </span>
              )}
            </div>
          )
        })}
      </div>
    </div>
  )
}
