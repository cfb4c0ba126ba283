import type { Settings } from '../../../common/settings-schema'
import { AccessTokensSection } from './access-tokens-section'
import { PreferencesSection } from './preferences-section'
import { ServerSettingsForm } from './server-settings-form'
import { SettingsFileSection } from './settings-file-section'

export function SettingsView({ settings }: { settings: Settings | null }) {
  if (!settings) return <p className="view muted">Loading settings…</p>
  return (
    <div className="view settings-view">
      <div className="settings-main">
        <ServerSettingsForm settings={settings} />
        <AccessTokensSection settings={settings} />
      </div>
      <div className="settings-side">
        <PreferencesSection />
        <SettingsFileSection />
      </div>
    </div>
  )
}
