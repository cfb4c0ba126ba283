import type { ClientInfo } from '../../../common/engine-api'
import type { Client } from './client'

/** Every connected client of both endpoints (and the admin channel), by id. */
export class ClientRegistry {
  private readonly clients = new Map<string, Client>()
  private nextId = 1

  constructor(private readonly onChange: () => void) {}

  newId(): string {
    return `c${this.nextId++}`
  }

  add(client: Client): void {
    this.clients.set(client.id, client)
    this.onChange()
  }

  remove(client: Client): void {
    if (this.clients.delete(client.id)) this.onChange()
  }

  get(id: string): Client | undefined {
    return this.clients.get(id)
  }

  get size(): number {
    return this.clients.size
  }

  all(): IterableIterator<Client> {
    return this.clients.values()
  }

  list(): ClientInfo[] {
    return [...this.clients.values()].map((c) => c.info())
  }

  changed(): void {
    this.onChange()
  }
}
