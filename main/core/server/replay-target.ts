import type { ReplayTarget } from '../capability'
import type { Client } from './client'
import { FrameEncodings } from './frame-encoding'

/** A connected client as the resume capability sees it (JSON: `/ws` or a JSON port stream). */
export function replayTarget(client: Client): ReplayTarget {
  return {
    id: client.id,
    receives: (port) => client.ws.readyState === client.ws.OPEN && client.receives(port),
    hold: (port) => client.hold(port),
    get bufferedAmount() {
      return client.bufferedAmount
    },
    get bufferLimit() {
      return client.bufferLimitBytes
    },
    sendFrame(frame) {
      const { payload } = new FrameEncodings(frame).payload('json')
      return client.sendData(frame.port, payload, false)
    },
    send: (message) => client.sendMessage(message),
    goLive: (port) => client.goLive(port),
    close: (code, reason) => client.closeAndForget(code, reason),
  }
}
