import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { librarySnippets } from '../../renderer/src/connect/library-snippets'
import { installClient } from '../clients/js/helpers/client-build'
import { HeadlessProcess, ROOT } from '../helpers/headless-process'
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
    installClient(dir)
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

/**
 * With TLS (`server.tls: "auto"`, a self-signed certificate) the same snippets carry the
 * fingerprint the panel shows and pin it through the libraries' `fingerprint` option.
 */
describe('the library snippets with TLS pin the certificate', () => {
  const cache = join(ROOT, 'node_modules', '.cache')
  mkdirSync(cache, { recursive: true })
  const dir = mkdtempSync(join(cache, 'sb-library-snippets-tls-'))
  let headless: HeadlessProcess
  let url = ''
  let fingerprint = ''

  before(async () => {
    headless = HeadlessProcess.start({
      server: { port: 0, token: TOKEN, tls: 'auto' },
      ports: [{ id: 'demo', path: 'sim:demo' }],
    })
    url = await headless.url()
    fingerprint = (await headless.line(/^tls: SHA-256 fingerprint (\S+)$/))[1]!
  })
  after(async () => {
    await headless?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const snippet = (id: 'python-library' | 'node-library') => {
    const found = librarySnippets(url, 'demo', TOKEN, fingerprint).find((s) => s.id === id)!
    assert.ok(found.code.includes(fingerprint), 'the snippet carries the fingerprint')
    assert.match(found.note, /pinned by its SHA-256 fingerprint/)
    return found
  }

  test('Python (serialbridge) with fingerprint=: the answer to *IDN?, then readings', async () => {
    const file = join(dir, 'snippet.py')
    writeFileSync(file, snippet('python-library').code)
    const env = { PYTHONPATH: join(ROOT, 'clients/python/src') }
    const lines = await firstLines('/usr/bin/python3', [file], env, 2)
    assert.equal(lines[0], IDN)
    assert.match(lines[1]!, READING)
  })

  test('JavaScript (@serial-bridge/client) with fingerprint: the same', async () => {
    installClient(dir)
    const file = join(dir, 'snippet.mjs')
    writeFileSync(file, snippet('node-library').code)
    const lines = await firstLines(process.execPath, [file], {}, 2)
    assert.equal(lines[0], IDN)
    assert.match(lines[1]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z T=\d+\.\d{2},RH=\d+\.\d$/)
  })
})
