import type { PollInfo, PortInfo } from '../../../common/protocol'
import type { PollSettings } from '../../../common/polls/poll-settings'
import type { PortManager } from '../serial/port-manager'
import { PollRunner } from './poll-runner'

/** The settings' polls of a port are owned by `settings`; a client's by its id. */
export const SETTINGS_OWNER = 'settings'

/**
 * Every poll that runs, by port and name: the ports' settings polls and the clients' own.
 * Polls run while their port is open and pause otherwise.
 */
export class PollTable {
  private readonly byPort = new Map<string, Map<string, PollRunner>>()
  /** The settings polls last applied to each port (the array of its settings, by identity). */
  private readonly applied = new Map<string, readonly PollSettings[]>()

  constructor(
    private readonly ports: PortManager,
    private readonly clock: () => number,
  ) {}

  get(port: string, name: string): PollRunner | undefined {
    return this.byPort.get(port)?.get(name)
  }

  count(port: string): number {
    return this.byPort.get(port)?.size ?? 0
  }

  list(port: string): PollInfo[] {
    return [...(this.byPort.get(port)?.values() ?? [])].map((r) => r.info())
  }

  /** The first of `poll-1`, `poll-2`, ... not used on the port. */
  freeName(port: string): string {
    for (let n = 1; ; n++) if (!this.get(port, `poll-${n}`)) return `poll-${n}`
  }

  /** Starts a poll, in place of one of the same name; it runs at once if the port is open. */
  start(port: string, settings: PollSettings, owner: string): PollRunner {
    void this.remove(port, settings.name)
    const runner = new PollRunner(settings, owner, {
      port: () => this.ports.get(port),
      clock: this.clock,
    })
    let polls = this.byPort.get(port)
    if (!polls) this.byPort.set(port, (polls = new Map()))
    polls.set(settings.name, runner)
    if (this.ports.get(port)?.state === 'open') runner.resume()
    return runner
  }

  async remove(port: string, name: string): Promise<void> {
    const runner = this.get(port, name)
    if (!runner) return
    this.byPort.get(port)!.delete(name)
    await runner.stop()
  }

  /**
   * A port changed: its settings polls are applied (a changed poll starts again, a client's poll
   * of the same name gives way), and its polls run or pause with its state.
   */
  sync(info: PortInfo): void {
    if (this.applied.get(info.id) !== info.settings.polls) {
      this.applied.set(info.id, info.settings.polls)
      const wanted = new Map(info.settings.polls.map((p) => [p.name, p]))
      for (const runner of [...(this.byPort.get(info.id)?.values() ?? [])]) {
        if (runner.owner === SETTINGS_OWNER && !wanted.has(runner.name))
          void this.remove(info.id, runner.name)
      }
      for (const poll of wanted.values()) {
        const running = this.get(info.id, poll.name)
        const same = running?.owner === SETTINGS_OWNER && sameSettings(running.settings, poll)
        if (!same) this.start(info.id, poll, SETTINGS_OWNER)
      }
    }
    for (const runner of this.byPort.get(info.id)?.values() ?? []) {
      if (info.state === 'open') runner.resume()
      else runner.pause()
    }
  }

  dropPort(port: string): void {
    for (const runner of this.byPort.get(port)?.values() ?? []) void runner.stop()
    this.byPort.delete(port)
    this.applied.delete(port)
  }

  /** A client left: the polls it started (without `persist`) stop. */
  dropOwner(owner: string): void {
    for (const [port, polls] of this.byPort) {
      for (const runner of [...polls.values()])
        if (runner.owner === owner) void this.remove(port, runner.name)
    }
  }

  stopAll(): void {
    for (const port of [...this.byPort.keys()]) this.dropPort(port)
  }
}

function sameSettings(a: PollSettings, b: PollSettings): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
