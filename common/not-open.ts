import type { PortState } from './protocol'

const advice: Record<Exclude<PortState, 'open'>, string> = {
  closed: 'open it first',
  opening: 'it is being opened: try again in a moment',
  reconnecting:
    'its device is unplugged or busy, and Serial Bridge opens it again by itself when it is back: try again then',
  error: 'see its error, then open it again',
  released: 'it is released to another program: open it to end the release, or wait until it ends',
}

/** Why a write to a port that is not open was refused, and what to do: engine and UI say the same. */
export function notOpenMessage(id: string, state: PortState): string {
  return state === 'open'
    ? `port "${id}" is open`
    : `port "${id}" is ${state}, not open: ${advice[state]}`
}
