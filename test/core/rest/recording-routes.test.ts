import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { portInfoSchema } from '../../../common/rest/port-info-schema'
import { recordingsAnswerSchema } from '../../../common/rest/recording-schemas'
import { startEngine } from '../../helpers/engine-fixture'
import { Instrument } from '../../helpers/instrument'
import { tempRecordings } from '../../helpers/recordings'
import { assertRestError, jsonBody, restClient } from '../../helpers/rest-client'
import { SocatPair } from '../../helpers/socat-pair'
import { waitFor } from '../../helpers/wait'

const VIEWER = 'viewer-token-1234'
const TOKEN = 'main-token-12345'

/** The recording capability's REST routes, through a real engine recording a real pty. */
describe('REST API: recording (feature record)', () => {
  const pty = new SocatPair('rest-rec')
  const folder = tempRecordings()
  let bridge: Awaited<ReturnType<typeof startEngine>>
  let instrument: Instrument
  let api: ReturnType<typeof restClient>
  const as = (token: string) => ({ authorization: `Bearer ${token}` })

  before(async () => {
    await pty.plug()
    bridge = await startEngine(
      {
        server: { token: TOKEN, tokens: [{ token: VIEWER, name: 'viewer', readOnly: true }] },
        ports: [{ id: 'meter', path: pty.a }],
      },
      { recordingsDir: folder.dir },
    )
    await waitFor(() => bridge.engine.listPorts()[0]?.state === 'open', { what: 'port open' })
    instrument = await Instrument.open(pty.b)
    api = restClient(bridge.url)
  })
  after(async () => {
    await instrument?.close()
    await bridge?.stop()
    await pty.dispose()
    folder.dispose()
  })

  test('POST /ports/{id}/record turns it on and off; GET /recordings lists the file', async () => {
    const on = await api('/ports/meter/record', jsonBody({ enabled: true }, as(TOKEN)))
    assert.equal(on.status, 200, on.text)
    const info = portInfoSchema.parse(on.body)
    assert.equal(info.recording?.state, 'recording')
    assert.equal(info.settings.record.enabled, true)
    await instrument.write('recorded line\n')
    await waitFor(() => (bridge.engine.listPorts()[0]?.recording?.frames ?? 0) >= 1, {
      what: 'a frame recorded',
    })
    const off = await api('/ports/meter/record', jsonBody({ enabled: false }, as(TOKEN)))
    assert.equal(portInfoSchema.parse(off.body).recording?.state, 'off')

    const list = recordingsAnswerSchema.parse(
      (await api('/recordings', { headers: as(VIEWER) })).body,
    )
    assert.equal(list.files.length, 1)
    assert.equal(list.files[0]!.port, 'meter')
    assert.equal(list.files[0]!.frames, 1)
    assert.ok(!('dir' in list), 'the folder on this PC is not told')
  })

  test('read-only callers, unknown ports and bad bodies are refused', async () => {
    assertRestError(
      await api('/ports/meter/record', jsonBody({ enabled: true }, as(VIEWER))),
      403,
      'FORBIDDEN',
    )
    assertRestError(
      await api('/ports/nope/record', jsonBody({ enabled: true }, as(TOKEN))),
      404,
      'UNKNOWN_PORT',
    )
    assertRestError(
      await api('/ports/meter/record', jsonBody({ enabled: 'yes' }, as(TOKEN))),
      400,
      'BAD_MESSAGE',
      /^enabled: /,
    )
    assertRestError(
      await api('/ports/meter/record', { method: 'POST', body: 'on', headers: as(TOKEN) }),
      400,
      'BAD_MESSAGE',
      /send JSON/,
    )
    assert.equal(bridge.engine.listPorts()[0]?.settings.record.enabled, false)
  })
})
