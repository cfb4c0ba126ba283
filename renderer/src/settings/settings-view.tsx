import type { Settings } from '../../../common/settings-schema'
import { PreferencesSection } from './preferences-section'
import { ServerSettingsForm } from './server-settings-form'
import { SettingsFileSection } from './settings-file-section'

export function SettingsView({ settings }: { settings: Settings | null }) {
  if (!settings) return <p className="view muted">Loading settings…</p>
  return (
    <div className="view settings-view">
      <ServerSettingsForm settings={settings} />
      <div className="settings-side">
        <PreferencesSection />
        <SettingsFileSection />
      </div>
    </div>
  )
}
