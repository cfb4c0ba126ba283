import { useRef, type KeyboardEvent } from 'react'

export const TABS = [
  'Ports',
  'Stream',
  'Plot',
  'Recordings',
  'Clients',
  'Settings',
  'Connect',
] as const
export type TabName = (typeof TABS)[number]

export const tabId = (tab: TabName) => `tab-${tab.toLowerCase()}`
export const panelId = (tab: TabName) => `panel-${tab.toLowerCase()}`

/** WAI-ARIA tabs: one tab in the Tab order, ←/→/Home/End move between them. */
export function AppTabs({
  active,
  onChange,
  badges,
}: {
  active: TabName
  onChange: (tab: TabName) => void
  badges: Partial<Record<TabName, number>>
}) {
  const refs = useRef(new Map<TabName, HTMLButtonElement>())
  const onKeyDown = (event: KeyboardEvent) => {
    const index = TABS.indexOf(active)
    const next =
      event.key === 'ArrowRight'
        ? TABS[(index + 1) % TABS.length]
        : event.key === 'ArrowLeft'
          ? TABS[(index - 1 + TABS.length) % TABS.length]
          : event.key === 'Home'
            ? TABS[0]
            : event.key === 'End'
              ? TABS[TABS.length - 1]
              : undefined
    if (!next) return
    event.preventDefault()
    onChange(next)
    refs.current.get(next)?.focus()
  }
  return (
    <div role="tablist" aria-label="Views" className="tabs" onKeyDown={onKeyDown}>
      {TABS.map((tab) => (
        <button
          key={tab}
          ref={(el) => {
            if (el) refs.current.set(tab, el)
            else refs.current.delete(tab)
          }}
          type="button"
          role="tab"
          id={tabId(tab)}
          aria-selected={tab === active}
          aria-controls={panelId(tab)}
          tabIndex={tab === active ? 0 : -1}
          onClick={() => onChange(tab)}
        >
          {tab}
          {badges[tab] ? <span className="count"> {badges[tab]}</span> : null}
        </button>
      ))}
    </div>
  )
}
