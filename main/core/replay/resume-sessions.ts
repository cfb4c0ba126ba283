import type { ReplayTarget, ResumeRequest } from '../capability'
import { CatchUp, type CatchUpTiming } from './catch-up'
import type { PortRings } from './port-rings'
import { planResume } from './resume-plan'

/** Every replay in progress, by client and port; a client's stop when it leaves. */
export class ResumeSessions {
  private readonly byClient = new Map<string, Map<string, CatchUp>>()

  constructor(
    private readonly rings: PortRings,
    private readonly epoch: () => string,
    private readonly timing: CatchUpTiming,
  ) {}

  /** Starts a replay of each port in `since`; its live frames wait until it has caught up. */
  resume(client: ReplayTarget, { since, epoch }: ResumeRequest): void {
    const sameEpoch = epoch === this.epoch()
    for (const [port, seq] of Object.entries(since)) {
      // Held first, in this same turn: no live frame of the port can reach it before the replay.
      client.hold(port)
      this.byClient.get(client.id)?.get(port)?.stop()
      const ring = this.rings.ring(port)
      const plan = planResume(port, seq, sameEpoch, ring)
      if (plan.restart) client.send(plan.restart)
      const catchUp = new CatchUp(client, port, ring, plan.next, this.timing, (done) =>
        this.finished(client.id, done),
      )
      let ports = this.byClient.get(client.id)
      if (!ports) this.byClient.set(client.id, (ports = new Map()))
      ports.set(port, catchUp)
      catchUp.start()
    }
  }

  leave(clientId: string): void {
    for (const catchUp of this.byClient.get(clientId)?.values() ?? []) catchUp.stop()
    this.byClient.delete(clientId)
  }

  stopAll(): void {
    for (const id of [...this.byClient.keys()]) this.leave(id)
  }

  private finished(clientId: string, catchUp: CatchUp): void {
    const ports = this.byClient.get(clientId)
    if (ports?.get(catchUp.port) !== catchUp) return
    ports.delete(catchUp.port)
    if (ports.size === 0) this.byClient.delete(clientId)
  }
}
