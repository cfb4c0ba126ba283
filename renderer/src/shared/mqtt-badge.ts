import type { MqttStatus } from '../../../common/engine-api'

/** The uplink's state as the colours the ports' badges use. */
export const MQTT_BADGE: Record<MqttStatus['state'], string> = {
  off: 'closed',
  connecting: 'opening',
  connected: 'open',
  error: 'error',
}
