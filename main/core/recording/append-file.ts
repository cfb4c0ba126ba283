import { open, type FileHandle } from 'node:fs/promises'

/** A write that failed part way: `written` bytes of the buffer reached the file. */
export class PartialWriteError extends Error {
  constructor(
    readonly reason: unknown,
    readonly written: number,
  ) {
    super((reason as Error)?.message ?? String(reason))
  }
}

/**
 * A recording file: created new (never an existing file), only ever appended to, one write
 * at a time (the caller waits for each), synced to the disk on request.
 */
export class AppendFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    public bytes: number,
  ) {}

  /** Fails with EEXIST when the path exists: a recording is never written over. */
  static async create(path: string): Promise<AppendFile> {
    return new AppendFile(path, await open(path, 'ax'), 0)
  }

  /** Writes all of `data`, continuing after short writes; a failure says how much got through. */
  async write(data: Buffer): Promise<void> {
    let offset = 0
    try {
      while (offset < data.length) {
        const { bytesWritten } = await this.handle.write(data, offset, data.length - offset, null)
        offset += bytesWritten
        this.bytes += bytesWritten
      }
    } catch (error) {
      throw new PartialWriteError(error, offset)
    }
  }

  datasync(): Promise<void> {
    return this.handle.datasync()
  }

  sync(): Promise<void> {
    return this.handle.sync()
  }

  /** The file was deleted (its folder removed): writes would go nowhere on Linux and macOS. */
  async removed(): Promise<boolean> {
    return (await this.handle.stat()).nlink === 0
  }

  async close(): Promise<void> {
    await this.handle.close()
  }
}
