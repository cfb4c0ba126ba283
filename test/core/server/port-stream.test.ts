import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startLineBridge, type LineBridge } from '../../helpers/line-bridge'
import { describeOnLines, waitForBytes, type TestInstrument } from '../../helpers/test-lines'
import { TestClient } from '../../helpers/ws-client'

describeOnLines('port stream endpoint /ports/{id}', (kind) => {
  let rig: LineBridge
  let bridge: LineBridge['bridge']
  let instrument: TestInstrument
  const clients: TestClient[] = []
  const connect = async (path: string): Promise<TestClient> => {
    const c = await TestClient.connect(bridge.url + path)
    clients.push(c)
    return c
  }

  before(async () => {
    rig = await startLineBridge(kind.line('stream'), { id: 'scale', writeTerminator: '\r' })
    ;({ bridge, instrument } = rig)
  })
  after(async () => {
    for (const c of clients) await c.close()
    await rig.stop()
  })

  test('each line arrives as a text frame (default), binary frame or JSON data message', async () => {
    const text = await connect('/ports/scale')
    const binary = await connect('/ports/scale?format=binary')
    const json = await connect('/ports/scale?format=json')
    await instrument.write('12.5 g\nµ-sign\n')
    assert.equal(
      await text.next((r) => (r.data === '12.5 g' && !r.binary ? r.data : undefined)),
      '12.5 g',
    )
    await text.next((r) => (r.data === 'µ-sign' ? true : undefined))
    await binary.next((r) =>
      r.binary && r.data === Buffer.from('12.5 g').toString('hex') ? true : undefined,
    )
    const data = await json.nextMessage('data', (m) => m.data === 'µ-sign')
    assert.equal(data.port, 'scale')
    assert.equal(data.encoding, 'utf8')
  })

  test('a text frame is written with the terminator; a binary frame as raw bytes', async () => {
    const c = await connect('/ports/scale')
    const start = instrument.bytes().length
    c.ws.send('TARE')
    c.ws.send('ZERO\r')
    c.ws.send(Buffer.from([0x1b, 0x40]))
    const expected = Buffer.from('TARE\rZERO\r\x1b@', 'latin1')
    await waitForBytes(instrument, start, expected.length)
    assert.deepEqual(instrument.bytes().subarray(start), expected)
  })

  test('an unknown port id is refused with HTTP 404', async () => {
    assert.equal(await TestClient.refusal(bridge.url + '/ports/nope'), 404)
    assert.equal(await TestClient.refusal(bridge.url + '/elsewhere'), 404)
    assert.equal(await TestClient.refusal(bridge.url + '/ports/scale?format=xml'), 400)
  })

  test('a closed port keeps its stream clients; data flows once it opens again', async () => {
    const c = await connect('/ports/scale?format=json')
    await bridge.engine.closePort('scale')
    await c.nextMessage('status', (m) => m.state === 'closed')
    c.send('while closed')
    assert.equal((await c.nextMessage('error')).code, 'PORT_NOT_OPEN')
    await bridge.engine.openPort('scale')
    await c.nextMessage('status', (m) => m.state === 'open')
    await instrument.write('back\n')
    await c.nextMessage('data', (m) => m.data === 'back')
    assert.equal(c.ws.readyState, c.ws.OPEN)
  })
})
