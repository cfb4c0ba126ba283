import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect as netConnect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate } from 'selfsigned'
import { waitFor } from './wait'

export const BROKER_USER = 'bridge'
export const BROKER_PASSWORD = 'broker-pass-1'

/** A port nobody listens on right now (the broker takes it a moment later). */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as { port: number }).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/**
 * A real Mosquitto for one test file: a listener with a password file, a TLS listener with a
 * certificate made here (same password file), an MQTT-over-WebSocket listener (same password
 * file; Debian's mosquitto 2.0.11 has libwebsockets built in), and an anonymous listener. `stop()`/`start()`
 * stop and restart it on the same ports, the way a broker goes away and comes back.
 */
export class Mosquitto {
  readonly dir: string
  /** The broker's self-signed certificate: a client that trusts it names this file as its CA. */
  readonly certFile: string
  private proc: ChildProcess | null = null
  log = ''

  private constructor(
    readonly port: number,
    readonly tlsPort: number,
    readonly anonymousPort: number,
    readonly wsPort: number,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'sb-mosquitto-'))
    this.certFile = join(this.dir, 'broker-cert.pem')
  }

  static async start(): Promise<Mosquitto> {
    const broker = new Mosquitto(
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    )
    await broker.writeConfig()
    await broker.start()
    return broker
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`
  }

  get tlsUrl(): string {
    return `mqtts://127.0.0.1:${this.tlsPort}`
  }

  get anonymousUrl(): string {
    return `mqtt://127.0.0.1:${this.anonymousPort}`
  }

  /** MQTT over WebSocket (`ws://`), with the password file. */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.wsPort}`
  }

  async start(): Promise<void> {
    if (this.proc) return
    const proc = spawn('mosquitto', ['-c', join(this.dir, 'mosquitto.conf')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    proc.stderr!.on('data', (d: Buffer) => (this.log += d.toString()))
    this.proc = proc
    await waitFor(
      async () => {
        if (proc.exitCode !== null) throw new Error(`mosquitto exited: ${this.log}`)
        return (
          (await accepts(this.port)) &&
          (await accepts(this.tlsPort)) &&
          (await accepts(this.wsPort))
        )
      },
      { what: 'mosquitto listening', timeoutMs: 10_000, everyMs: 50 },
    )
  }

  async stop(): Promise<void> {
    const proc = this.proc
    this.proc = null
    if (!proc || proc.exitCode !== null) return
    const exited = once(proc, 'exit')
    proc.kill('SIGKILL')
    await exited
  }

  async dispose(): Promise<void> {
    await this.stop()
    rmSync(this.dir, { recursive: true, force: true })
  }

  private async writeConfig(): Promise<void> {
    const pem = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 7, ip: '127.0.0.1' },
            { type: 2, value: 'localhost' },
          ],
        },
      ],
    })
    const keyFile = join(this.dir, 'broker-key.pem')
    writeFileSync(this.certFile, pem.cert)
    writeFileSync(keyFile, pem.private)
    const passwords = join(this.dir, 'passwd')
    execFileSync('mosquitto_passwd', ['-b', '-c', passwords, BROKER_USER, BROKER_PASSWORD])
    writeFileSync(
      join(this.dir, 'mosquitto.conf'),
      [
        // As root it would switch to the `mosquitto` user, who cannot read this test's folder.
        ...(process.getuid?.() === 0 ? ['user root'] : []),
        'per_listener_settings true',
        'persistence false',
        'log_dest stderr',
        'log_type error',
        `listener ${this.port} 127.0.0.1`,
        'allow_anonymous false',
        `password_file ${passwords}`,
        `listener ${this.tlsPort} 127.0.0.1`,
        `certfile ${this.certFile}`,
        `keyfile ${keyFile}`,
        'allow_anonymous false',
        `password_file ${passwords}`,
        `listener ${this.anonymousPort} 127.0.0.1`,
        'allow_anonymous true',
        // A websockets listener alone is refused ("Unable to start any listening sockets"):
        // 2.0.11 needs a plain MQTT listener beside it, which the ones above are.
        `listener ${this.wsPort} 127.0.0.1`,
        'protocol websockets',
        'allow_anonymous false',
        `password_file ${passwords}`,
        '',
      ].join('\n'),
    )
  }
}
