import { TestClient } from './ws-client'

/** The clients a test connects to one server, closed together in `after`. */
export class ControlClients {
  private readonly clients: TestClient[] = []

  constructor(private readonly url: () => string) {}

  /** A control client past its `hello` (or a port stream, given its path). */
  async connect(path = '/ws'): Promise<TestClient> {
    const client = await TestClient.connect(this.url() + path)
    this.clients.push(client)
    if (path === '/ws') await client.nextMessage('hello')
    return client
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close()))
  }
}
