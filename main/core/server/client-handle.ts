import type { ClientHandle } from '../capability'
import type { Client } from './client'

/** A connected client as a capability sees it (capability.ts): its id, its rights, two ways to send. */
export function clientHandle(client: Client): ClientHandle {
  return {
    id: client.id,
    get readOnly() {
      return client.readOnly
    },
    send: (message) => client.sendMessage(message),
    sendData: (port, message) => client.sendData(port, Buffer.from(JSON.stringify(message)), false),
  }
}
