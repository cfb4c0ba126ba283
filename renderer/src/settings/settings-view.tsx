import type { MqttStatus, PortInfo, ServerStatus } from '../../../common/engine-api'
import type { Settings } from '../../../common/settings-schema'
import { AccessTokensSection } from './access-tokens-section'
import { MqttSettingsForm } from './mqtt-settings-form'
import { PreferencesSection } from './preferences-section'
import { ServerSettingsForm } from './server-settings-form'
import { SettingsFileSection } from './settings-file-section'

export function SettingsView({
  settings,
  server,
  mqtt,
  ports,
}: {
  settings: Settings | null
  server: ServerStatus | null
  mqtt: MqttStatus | null
  ports: PortInfo[]
}) {
  if (!settings) return <p className="view muted">Loading settings…</p>
  return (
    <div className="view settings-view">
      <div className="settings-main">
        <ServerSettingsForm settings={settings} server={server} />
        <AccessTokensSection settings={settings} />
        <MqttSettingsForm settings={settings} status={mqtt} ports={ports} />
      </div>
      <div className="settings-side">
        <PreferencesSection />
        <SettingsFileSection />
      </div>
    </div>
  )
}
