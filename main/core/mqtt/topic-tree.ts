import { defaultTopicPrefix, portTopics, type PortTopics } from '../../../common/mqtt-topic'
import type { MqttSettings, PortSettings } from '../../../common/settings-schema'

export type { PortTopics }

export type CommandKind = 'write' | 'query'

/** Every topic Serial Bridge uses, under one prefix. */
export class TopicTree {
  readonly prefix: string
  /** Retained `{"state":"online"}`; the last will says `offline`. */
  readonly status: string
  /** Where the Test button publishes its one message. */
  readonly test: string

  constructor(settings: Pick<MqttSettings, 'topicPrefix'>, hostname: string) {
    this.prefix = settings.topicPrefix ?? defaultTopicPrefix(hostname)
    this.status = `${this.prefix}/status`
    this.test = `${this.prefix}/test`
  }

  port(port: Pick<PortSettings, 'id' | 'mqtt'>): PortTopics {
    return portTopics(this.prefix, port)
  }
}

/** Which port and command a subscribed topic means; built from the ports' topics, looked up by name. */
export class CommandTopics {
  private readonly byTopic = new Map<string, { port: string; kind: CommandKind }>()

  constructor(tree: TopicTree, ports: readonly Pick<PortSettings, 'id' | 'mqtt'>[]) {
    for (const p of ports) {
      const topics = tree.port(p)
      this.byTopic.set(topics.write, { port: p.id, kind: 'write' })
      this.byTopic.set(topics.query, { port: p.id, kind: 'query' })
    }
  }

  get topics(): string[] {
    return [...this.byTopic.keys()]
  }

  lookup(topic: string): { port: string; kind: CommandKind } | undefined {
    return this.byTopic.get(topic)
  }
}
