import type { MqttStatus } from './engine-api'

const count = (n: number, one: string): string =>
  `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`

/** The uplink's state in one sentence, the same in the UI, the tray and headless mode's log. */
export function mqttStateText(s: MqttStatus): string {
  switch (s.state) {
    case 'off':
      return 'MQTT uplink off'
    case 'connecting':
      return `MQTT: connecting to ${s.url}…${s.error ? ` (last attempt: ${s.error})` : ''}`
    case 'connected':
      return `MQTT: connected to ${s.url} as ${s.clientId}`
    case 'error':
      return `MQTT: ${s.error ?? 'error'} (${s.url})`
  }
}

/** The counters, for the state line and the tray. */
export function mqttCountersText(s: MqttStatus): string {
  const n = (v: number) => v.toLocaleString('en-US')
  return [
    `${count(s.published, 'message')} published`,
    `${n(s.dropped)} dropped`,
    `${n(s.queued)} waiting`,
    count(s.commandsHandled, 'command'),
  ].join(' · ')
}

/** A tray line: Windows cuts the whole tooltip at 127 characters, so a few words only. */
export function mqttTrayText(s: MqttStatus): string | null {
  if (s.state === 'off') return null
  if (s.state === 'error') return `MQTT: ${(s.error ?? 'error').replace(/ \(.*$/, '')}`
  if (s.state === 'connecting') return 'MQTT: connecting…'
  return `MQTT: connected · ${s.published.toLocaleString('en-US')} sent · ${s.dropped.toLocaleString('en-US')} dropped`
}
