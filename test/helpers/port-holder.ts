import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'

/**
 * Another program holding a serial port, as a vendor tool does: a separate process opens the
 * device and takes the same exclusive lock serialport takes (flock), so the bridge's open fails
 * with "Cannot lock port" until `release()`.
 */
export class PortHolder {
  private constructor(private readonly proc: ChildProcess) {}

  static async hold(path: string): Promise<PortHolder> {
    const script = [
      'import fcntl, os, sys',
      'fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)',
      'fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)',
      'print("held", flush=True)',
      'sys.stdin.read()',
    ].join('\n')
    const proc = spawn('/usr/bin/python3', ['-c', script, path], {
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    const [chunk] = (await Promise.race([
      once(proc.stdout!, 'data'),
      once(proc, 'exit').then(() => {
        throw new Error(`could not hold ${path}`)
      }),
    ])) as [Buffer]
    if (!chunk.toString().startsWith('held')) throw new Error(`could not hold ${path}`)
    return new PortHolder(proc)
  }

  /** The program closes the port (ends its process). */
  async release(): Promise<void> {
    if (this.proc.exitCode !== null) return
    const exited = once(this.proc, 'exit')
    this.proc.stdin!.end()
    await exited
  }
}
