import WebSocket from 'ws'

/**
 * Forces a full garbage collection in another Node process through its V8 inspector (the
 * target is started with `--inspect=127.0.0.1:0`), so neither server needs bench-only code.
 */
export interface HeapUsage {
  usedBytes: number
  totalBytes: number
}

export async function collectGarbage(inspectorUrl: string, timeoutMs = 15_000): Promise<HeapUsage> {
  const ws = new WebSocket(inspectorUrl, { perMessageDeflate: false })
  const pending = new Map<number, (result: unknown) => void>()
  let nextId = 1
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as { id?: number; result?: unknown }
    if (m.id !== undefined) pending.get(m.id)?.(m.result)
  })
  const call = (method: string) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++
      pending.set(id, resolve)
      ws.send(JSON.stringify({ id, method }))
    })
  const timer = setTimeout(() => ws.terminate(), timeoutMs)
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
      ws.once('close', () => reject(new Error('inspector closed')))
    })
    const closed = new Promise<never>((_, reject) =>
      ws.once('close', () => reject(new Error(`inspector call timed out after ${timeoutMs} ms`))),
    )
    // Twice: the first pass can leave garbage that only the second finds (weak refs, finalizers).
    await Promise.race([call('HeapProfiler.collectGarbage'), closed])
    await Promise.race([call('HeapProfiler.collectGarbage'), closed])
    const usage = (await Promise.race([call('Runtime.getHeapUsage'), closed])) as {
      usedSize: number
      totalSize: number
    }
    return { usedBytes: usage.usedSize, totalBytes: usage.totalSize }
  } finally {
    clearTimeout(timer)
    ws.terminate()
  }
}
