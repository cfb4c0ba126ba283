import type { MqttSettings, MqttSettingsInput } from '../../../common/settings-schema'

/** The "Lab network (MQTT)" form as typed: empty text means "not set" (null). */
export interface MqttDraft {
  enabled: boolean
  url: string
  username: string
  password: string
  clientId: string
  topicPrefix: string
  qos: '0' | '1'
  protocolVersion: '5' | '4'
  ca: string
  cert: string
  key: string
  rejectUnauthorized: boolean
  frames: boolean
  values: boolean
  commands: boolean
  commandsWithoutAuthentication: boolean
}

export function draftFromMqtt(m: MqttSettings): MqttDraft {
  return {
    enabled: m.enabled,
    url: m.url,
    username: m.username ?? '',
    password: m.password ?? '',
    clientId: m.clientId ?? '',
    topicPrefix: m.topicPrefix ?? '',
    qos: m.qos === 1 ? '1' : '0',
    protocolVersion: m.protocolVersion === 4 ? '4' : '5',
    ca: m.tls.ca ?? '',
    cert: m.tls.cert ?? '',
    key: m.tls.key ?? '',
    rejectUnauthorized: m.tls.rejectUnauthorized,
    frames: m.publish.frames,
    values: m.publish.values,
    commands: m.commands,
    commandsWithoutAuthentication: m.commandsWithoutAuthentication,
  }
}

const orNull = (text: string): string | null => (text.trim() === '' ? null : text.trim())

/** The update the engine checks against the settings schema (its errors name `mqtt.…` fields). */
export function draftToMqtt(d: MqttDraft): Partial<MqttSettingsInput> {
  return {
    enabled: d.enabled,
    url: d.url.trim(),
    username: orNull(d.username),
    // A password is taken as typed: spaces may be part of it.
    password: d.password === '' ? null : d.password,
    clientId: orNull(d.clientId),
    topicPrefix: orNull(d.topicPrefix),
    qos: d.qos === '1' ? 1 : 0,
    protocolVersion: d.protocolVersion === '4' ? 4 : 5,
    tls: {
      ca: orNull(d.ca),
      cert: orNull(d.cert),
      key: orNull(d.key),
      rejectUnauthorized: d.rejectUnauthorized,
    },
    publish: { frames: d.frames, values: d.values },
    commands: d.commands,
    commandsWithoutAuthentication: d.commandsWithoutAuthentication,
  }
}
