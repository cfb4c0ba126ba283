import type { ServerMessage } from '../../../common/protocol'

type GapMessage = Extract<ServerMessage, { type: 'gap' }>

/** What a ring knows of its port's numbering in this epoch. */
export interface RingPosition {
  firstSeq: number | null
  lastSeq: number
}

export interface ResumePlan {
  /** Said before any frame: the server restarted, so what followed `since` is gone. */
  restart: GapMessage | null
  /** The first seq to send; frames the ring no longer holds become a `gap` as they are reached. */
  next: number
}

/**
 * Where a port's replay starts (docs/protocol.md, Resume). In the same epoch, right after the
 * client's last seq. In another epoch (the server restarted) nothing of the old one is left: a
 * restart gap, then this epoch from its first frame. A `since` past the port's last seq means
 * its numbering started again (the port was removed and added): said the same way.
 */
export function planResume(
  port: string,
  since: number,
  sameEpoch: boolean,
  ring: RingPosition,
): ResumePlan {
  if (sameEpoch && since <= ring.lastSeq) return { restart: null, next: since + 1 }
  return {
    restart: { type: 'gap', port, from: since + 1, to: null, restarted: true },
    next: ring.firstSeq ?? ring.lastSeq + 1,
  }
}
