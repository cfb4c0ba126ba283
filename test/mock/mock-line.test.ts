import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SerialPortStream } from '@serialport/stream'
import { MockLine } from '../helpers/mock-line'
import { waitFor } from '../helpers/wait'

async function openStream(line: MockLine): Promise<SerialPortStream> {
  const port = new SerialPortStream({
    binding: line.binding,
    path: line.a,
    baudRate: 9600,
    autoOpen: false,
  })
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())))
  return port
}

const openError = (line: MockLine): Promise<string> =>
  openStream(line).then(
    () => 'opened',
    (error: Error) => error.message,
  )

// The tests on Windows trust this model of a serial line; here it is held to it.
describe('a mock line, as the bridge sees it through serialport', () => {
  test('bytes go both ways, whole and in order', async () => {
    const line = new MockLine('both')
    await line.plug()
    const port = await openStream(line)
    try {
      const read: Buffer[] = []
      port.on('data', (chunk: Buffer) => read.push(chunk))
      const sent = Buffer.from(Array.from({ length: 20_000 }, (_, i) => i % 251))
      for (let at = 0; at < sent.length; at += 3000)
        await line.instrument.write(sent.subarray(at, at + 3000))
      await waitFor(() => Buffer.concat(read).length >= sent.length, { what: 'every byte read' })
      assert.deepEqual(Buffer.concat(read), sent)

      await new Promise<void>((resolve, reject) =>
        port.write('MEAS?\nOUT 1\n', (e) => (e ? reject(e) : resolve())),
      )
      await line.instrument.waitForLine('OUT 1')
      assert.deepEqual(line.instrument.lines, ['MEAS?', 'OUT 1'])
      assert.equal(line.instrument.bytes().toString(), 'MEAS?\nOUT 1\n')
    } finally {
      await new Promise((resolve) => port.close(resolve))
      await line.dispose()
    }
  })

  test('an unplug closes the open port with a disconnect; the device is gone until plugged in', async () => {
    const line = new MockLine('gone')
    assert.match(await openError(line), /File not found/, 'never plugged in')
    await line.plug()
    const port = await openStream(line)
    port.resume() // reading, as the bridge always is: the failed read is what tells it
    const closed = new Promise<Error & { disconnected?: boolean }>((resolve) =>
      port.once('close', resolve),
    )
    await line.unplug()
    const error = await closed
    assert.equal(error.disconnected, true)
    assert.match(error.message, /EIO/)
    assert.match(await openError(line), new RegExp(`Opening ${line.a}: File not found`))
    assert.deepEqual(await line.binding.list().then((l) => l.filter((p) => p.path === line.a)), [])
    await assert.rejects(line.instrument.write('lost'), /not open/)

    await line.plug()
    const again = await openStream(line)
    assert.equal((await line.binding.list()).filter((p) => p.path === line.a).length, 1)
    await new Promise((resolve) => again.close(resolve))
    await line.dispose()
  })

  test('a silent unplug leaves the port open and only takes the device off the list', async () => {
    const line = new MockLine('silent')
    await line.plug()
    const port = await openStream(line)
    await line.unplug({ silent: true })
    assert.equal(port.isOpen, true)
    assert.deepEqual(
      (await line.binding.list()).filter((p) => p.path === line.a),
      [],
    )
    await new Promise((resolve) => port.close(resolve))
    await line.dispose()
  })
})
