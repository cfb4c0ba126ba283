import { randomBytes } from 'node:crypto'

/** The engine's epoch (`hello.epoch`): new each start, so `seq` numbers continue only within one. */
export interface Epoch {
  current(): string
  renew(): void
}

export function startEpochs(): Epoch {
  let epoch = newEpoch()
  return {
    current: () => epoch,
    renew: () => void (epoch = newEpoch()),
  }
}

/** Unique per start, short, and sortable by time: `m3k2x9-4f1a`. */
function newEpoch(): string {
  return `${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`
}
