import type { Socket } from 'node:net'
import type { RefusedConnection } from '../../../common/engine-api'
import type { ServerSettings } from '../../../common/settings-schema'

/** How often a burst of refused connections is reported (one record, with its count). */
const REPORT_EVERY_MS = 1000

/**
 * Counts the connections the HTTP server holds that are not (yet) WebSocket clients: requests
 * in progress, upgrades being answered, refused sockets not yet closed. Past a cap, in all or
 * from one address, a new connection is closed at once, before it costs more than its file
 * descriptor: half-sent requests must not use up the process's descriptors.
 */
export class PendingConnections {
  private total = 0
  private readonly byAddress = new Map<string, number>()
  private readonly releases = new WeakMap<Socket, () => void>()
  private refusedSinceReport = 0
  private lastReport = 0

  constructor(
    private readonly settings: () => ServerSettings,
    private readonly onRefused: (refusal: RefusedConnection) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.total
  }

  /** A new connection: counted until it closes or is upgraded, or refused past the caps. */
  admit(socket: Socket): void {
    const address = socket.remoteAddress ?? ''
    const { maxPendingConnections: max, maxPendingConnectionsPerAddress: perAddress } =
      this.settings()
    const fromAddress = this.byAddress.get(address) ?? 0
    if (this.total >= max || fromAddress >= perAddress) {
      socket.destroy()
      return this.refused(
        address,
        this.total >= max
          ? `Too many connections waiting for an answer (${max})`
          : `Too many connections waiting for an answer from ${address} (${perAddress})`,
      )
    }
    this.total += 1
    this.byAddress.set(address, fromAddress + 1)
    let counted = true
    const release = (): void => {
      if (!counted) return
      counted = false
      this.total -= 1
      const left = (this.byAddress.get(address) ?? 1) - 1
      if (left === 0) this.byAddress.delete(address)
      else this.byAddress.set(address, left)
    }
    this.releases.set(socket, release)
    socket.once('close', release)
  }

  /** The socket is a WebSocket client now, counted by `maxClients` instead. */
  upgraded(socket: Socket): void {
    this.releases.get(socket)?.()
    this.releases.delete(socket)
  }

  private refused(address: string, message: string): void {
    this.refusedSinceReport += 1
    const now = this.now()
    if (now - this.lastReport < REPORT_EVERY_MS) return
    const count = this.refusedSinceReport
    this.refusedSinceReport = 0
    this.lastReport = now
    this.onRefused({
      at: new Date(now).toISOString(),
      remoteAddress: address,
      origin: null,
      host: null,
      endpoint: '',
      reason: 'capacity',
      status: 503,
      message: count > 1 ? `${message}; ${count} refused` : message,
    })
  }
}
