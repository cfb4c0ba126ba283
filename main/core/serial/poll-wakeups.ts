import type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
} from '@serialport/bindings-interface'

/** bindings-cpp's poller flags (its `EVENTS`). */
const WAKEUPS = { readable: 0b001, writable: 0b010, disconnect: 0b100 } as const

/** The part of bindings-cpp's unix `Poller` this fix relies on. */
interface UnixPoller {
  poll(flags?: number): void
  listenerCount(event: string): number
}

/**
 * bindings-cpp 13 (Linux and macOS) re-arms a port's fd watch with only the event just asked
 * for. A read that waits for `readable` while a long write waits for `writable` so cancels the
 * write's wakeup: the write never finishes, and every later write on the port waits behind it.
 * Asking for every event someone is still waiting for keeps them all armed. Windows has no poller.
 * Remove once bindings-cpp's `Poller::poll` (src/poller.cpp) starts its watch with the whole mask.
 */
export function keepPollWakeups(hardware: BindingInterface): BindingInterface {
  return {
    list: () => hardware.list(),
    open: async (options: OpenOptions): Promise<BindingPortInterface> => {
      const port = await hardware.open(options)
      const poller = (port as { poller?: Partial<UnixPoller> }).poller
      if (typeof poller?.poll === 'function' && typeof poller.listenerCount === 'function')
        armWhatIsAwaited(poller as UnixPoller)
      return port
    },
  }
}

function armWhatIsAwaited(poller: UnixPoller): void {
  const poll = poller.poll.bind(poller)
  poller.poll = (flags = 0) => {
    for (const [event, flag] of Object.entries(WAKEUPS))
      if (poller.listenerCount(event) > 0) flags |= flag
    poll(flags)
  }
}
