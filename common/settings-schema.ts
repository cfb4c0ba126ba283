/**
 * The one schema for everything Serial Bridge persists: headless config files and the app's
 * store. Each section has its own module under common/settings/; this is the one import path.
 */
export {
  accessTokenSchema,
  clientNameSchema,
  clientRuleKey,
  clientRuleMatchSchema,
  clientRuleSchema,
  type AccessToken,
  type ClientRule,
  type ClientRuleAction,
  type ClientRuleMatch,
} from './settings/access-settings'
export {
  mqttSettingsSchema,
  type MqttSettings,
  type MqttSettingsInput,
} from './settings/mqtt-settings'
export {
  framingSchema,
  matchSchema,
  portSettingsSchema,
  savedCommandSchema,
  storedPortSettingsSchema,
  type Framing,
  type PortMatch,
  type PortSettings,
  type PortSettingsInput,
  type SavedCommand,
} from './settings/port-settings'
export {
  recordingSettingsSchema,
  recordSettingsSchema,
  replaySettingsSchema,
  type RecordingSettings,
  type RecordSettings,
  type ReplaySettings,
} from './settings/recording-settings'
export {
  serverSettingsSchema,
  serverTlsSchema,
  type ServerSettings,
  type ServerTls,
} from './settings/server-settings'
export {
  defaultSettings,
  settingsSchema,
  type Settings,
  type SettingsInput,
} from './settings/settings'
