import { useEffect, useState } from 'react'
import type { AppPreferences } from '../../../common/contract'
import { useBridge } from '../app-state/bridge-context'
import { ActionMessage } from '../shared/action-message'
import { errorText, useAction } from '../shared/use-action'

const labels: Record<keyof AppPreferences, string> = {
  startAtLogin: 'Start when I log in',
  startMinimized: 'Start minimized to the tray',
  closeToTray: 'Closing the window keeps the server running in the tray',
}

/** Desktop-app preferences; in a browser they do not apply, and the section says why. */
export function PreferencesSection() {
  const bridge = useBridge()
  const action = useAction()
  const [prefs, setPrefs] = useState<AppPreferences | null>(null)
  const web = bridge.kind === 'web'

  useEffect(() => {
    if (web) return
    bridge
      .getPreferences()
      .then(setPrefs, (e: unknown) => action.show({ kind: 'failed', text: errorText(e) }))
  }, [bridge, web, action.show])

  const change = (key: keyof AppPreferences, value: boolean) =>
    action.run('Saving…', async () => {
      setPrefs(await bridge.setPreferences({ [key]: value }))
      return { ok: true, text: `Saved: ${labels[key].toLowerCase()} is ${value ? 'on' : 'off'}` }
    })

  return (
    <section className="panel" aria-labelledby="prefs-heading">
      <h2 id="prefs-heading">Desktop app</h2>
      {web ? (
        <p className="muted">
          These settings belong to the desktop app on the lab PC (start at login, tray). This
          browser is managing headless mode, where they do not apply.
        </p>
      ) : (
        <fieldset disabled={!prefs || action.busy} className="checks">
          <legend className="sr-only">Desktop app preferences</legend>
          {(Object.keys(labels) as Array<keyof AppPreferences>).map((key) => (
            <label key={key}>
              <input
                type="checkbox"
                checked={prefs?.[key] ?? false}
                onChange={(e) => void change(key, e.target.checked)}
              />
              {labels[key]}
            </label>
          ))}
        </fieldset>
      )}
      <ActionMessage status={action.status} />
    </section>
  )
}
