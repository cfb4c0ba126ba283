/**
 * MQTT topic names Serial Bridge publishes to: levels of printable characters without the
 * wildcards `+` and `#`, no empty level, not starting with `$` (brokers reserve those).
 */
// Control characters are refused too: they are legal in MQTT but never meant in a lab's topic.
// eslint-disable-next-line no-control-regex
export const MQTT_TOPIC_PATTERN = /^(?!\$)[^/+#\u0000-\u001f]+(?:\/[^/+#\u0000-\u001f]+)*$/

export const MQTT_TOPIC_RULE =
  'levels separated by "/", no empty level, no "+" or "#", not starting with "$"'

/** `lab-pc-07.Example.org` → `lab-pc-07.example.org`: safe in a topic level and a client id. */
export function hostLevel(hostname: string): string {
  const safe = hostname
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .slice(0, 64)
  return safe.length > 0 ? safe : 'host'
}

/** What `topicPrefix: null` means on a machine of this name. */
export const defaultTopicPrefix = (hostname: string): string =>
  `serial-bridge/${hostLevel(hostname)}`

/** What `clientId: null` means: the same on every start on this machine. */
export const defaultClientId = (hostname: string): string => `serial-bridge-${hostLevel(hostname)}`

/** The topics of one port (docs/mqtt.md lists them, retained or not, with their payloads). */
export interface PortTopics {
  rx: string
  values: string
  status: string
  write: string
  query: string
}

/** `{prefix}/ports/{id}`, or the port's own `mqtt.topic`, and the topics under it. */
export function portTopics(
  prefix: string,
  port: { id: string; mqtt?: { topic?: string } | undefined },
): PortTopics {
  const base = port.mqtt?.topic ?? `${prefix}/ports/${port.id}`
  return {
    rx: `${base}/rx`,
    values: `${base}/values`,
    status: `${base}/status`,
    write: `${base}/write`,
    query: `${base}/query`,
  }
}
