import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { librarySnippets } from '../../renderer/src/connect/library-snippets'
import { buildClient } from '../clients/js/helpers/client-build'
import { ROOT } from '../helpers/headless-process'
import { firstLines, startSnippetBridge, type SnippetBridge } from '../helpers/snippet-run'
import { STREAMING_IDN, STREAMING_READING } from '../helpers/streaming-instrument'

const TOKEN = 'lab-token-12345'
const IDN = 'SerialBridge,SimulatedInstrument,SB-0001,1.0'
const READING = /^\d{4}-\d\d-\d\dT[\d:.]+(Z|\+00:00) T=\d+\.\d{2},RH=\d+\.\d$/

/**
 * The Connect panel's "with the library" snippets, run as a user pastes them: the Python one
 * with the package's source on PYTHONPATH, the JavaScript one in a project where the package
 * is installed (built as its `prepare` script builds it). Each asks `*IDN?` with `expect` while
 * the port streams: on sim:demo, and on a pty instrument that streams ten readings before it
 * answers (where a bare query's reply is a reading).
 */
describe('the Connect panel snippets with the client libraries', () => {
  let rig: SnippetBridge
  let url = ''
  let dir = ''

  before(async () => {
    rig = await startSnippetBridge(TOKEN, 'library-snippets')
    ;({ url, dir } = rig)
  })
  after(() => rig?.stop())

  test('Python (serialbridge): the answer to *IDN?, then readings with their time', async () => {
    const run = async (port: string) => {
      const snippet = librarySnippets(url, port, TOKEN).find((s) => s.id === 'python-library')!
      const file = join(dir, `snippet-${port}.py`)
      writeFileSync(file, snippet.code)
      const env = { PYTHONPATH: join(ROOT, 'clients/python/src') }
      return firstLines('/usr/bin/python3', [file], env, 3)
    }
    const demo = await run('demo')
    assert.equal(demo[0], IDN)
    assert.match(demo[1]!, READING)
    const streamed = await run('streaming')
    assert.equal(streamed[0], STREAMING_IDN, 'the answer, not one of the readings before it')
    assert.match(streamed[1]!.split(' ')[1]!, STREAMING_READING)
  })

  test('JavaScript (@serial-bridge/client): the same', async () => {
    const installed = join(dir, 'node_modules', '@serial-bridge', 'client')
    mkdirSync(installed, { recursive: true })
    copyFileSync(join(ROOT, 'clients/js/package.json'), join(installed, 'package.json'))
    buildClient(join(installed, 'dist'))
    const run = async (port: string) => {
      const snippet = librarySnippets(url, port, TOKEN).find((s) => s.id === 'node-library')!
      const file = join(dir, `snippet-${port}.mjs`)
      writeFileSync(file, snippet.code)
      return firstLines(process.execPath, [file], {}, 3)
    }
    const demo = await run('demo')
    assert.equal(demo[0], IDN)
    assert.match(demo[1]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z T=\d+\.\d{2},RH=\d+\.\d$/)
    const streamed = await run('streaming')
    assert.equal(streamed[0], STREAMING_IDN, 'the answer, not one of the readings before it')
    assert.match(streamed[1]!.split(' ')[1]!, STREAMING_READING)
  })
})
