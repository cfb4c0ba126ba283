/** One message for the broker. */
export interface OutgoingMessage {
  topic: string
  payload: Buffer
  retain: boolean
}

export interface QueueLimits {
  maxMessages: number
  maxBytes: number
}

/**
 * What waits for the broker. Bounded by count and bytes; when full, the oldest message goes
 * (a lab wants the newest readings after an outage) and `dropped` counts it. O(1) at both ends.
 */
export class OutgoingQueue {
  private items: (OutgoingMessage | undefined)[] = []
  private head = 0
  private bytesValue = 0
  dropped = 0

  constructor(private limits: QueueLimits) {}

  get length(): number {
    return this.items.length - this.head
  }

  get bytes(): number {
    return this.bytesValue
  }

  setLimits(limits: QueueLimits): void {
    this.limits = limits
    this.trim()
  }

  push(message: OutgoingMessage): void {
    this.items.push(message)
    this.bytesValue += size(message)
    this.trim()
  }

  /** Puts messages back at the front, in their order (QoS 1 messages a dropped connection never acknowledged). */
  returnToFront(messages: readonly OutgoingMessage[]): void {
    if (messages.length === 0) return
    this.items = [...messages, ...this.items.slice(this.head)]
    this.head = 0
    for (const m of messages) this.bytesValue += size(m)
    this.trim()
  }

  shift(): OutgoingMessage | undefined {
    if (this.head >= this.items.length) return undefined
    const message = this.items[this.head]!
    this.items[this.head] = undefined
    this.head += 1
    this.bytesValue -= size(message)
    // Compact now and then, so the array does not grow with everything ever queued.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return message
  }

  clear(): void {
    this.items = []
    this.head = 0
    this.bytesValue = 0
  }

  private trim(): void {
    while (
      this.length > 0 &&
      (this.length > this.limits.maxMessages || this.bytesValue > this.limits.maxBytes)
    ) {
      this.shift()
      this.dropped += 1
    }
  }
}

/** The payload and topic are what the broker connection carries; the rest is noise here. */
function size(message: OutgoingMessage): number {
  return message.payload.length + message.topic.length
}
