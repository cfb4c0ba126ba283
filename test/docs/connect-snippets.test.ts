import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { SIM_IDN } from '../../main/core/serial/sim-device'
import { portUrl } from '../../renderer/src/connect/port-url'
import { connectSnippets, type Snippet } from '../../renderer/src/connect/snippets'
import { firstLines, startSnippetBridge, type SnippetBridge } from '../helpers/snippet-run'
import { STREAMING_IDN, STREAMING_READING } from '../helpers/streaming-instrument'

const TOKEN = 'lab-token-67890'
const DEMO_READING = /^T=\d+\.\d{2},RH=\d+\.\d$/

/**
 * The Connect panel's plain snippets, run as pasted: each asks `*IDN?` as a `query` with
 * `expect` on the control endpoint and prints the answer first, then the port's stream. On
 * sim:demo, and on a pty instrument that streams ten readings before it answers, where a bare
 * `*IDN?` on the port stream (or a query without `expect`) prints a reading first.
 */
describe('the Connect panel snippets ask *IDN? with expect while the port streams', () => {
  let rig: SnippetBridge
  let url = ''
  let dir = ''

  before(async () => {
    rig = await startSnippetBridge(TOKEN, 'connect-snippets')
    ;({ url, dir } = rig)
  })
  after(() => rig?.stop())

  /** The snippet's first lines, run by Debian's Python or this Node (the browser one with its global WebSocket). */
  async function run(id: Snippet['id'], port: string): Promise<string[]> {
    const snippet = connectSnippets(portUrl(url, port, TOKEN), port).find((s) => s.id === id)!
    const file = join(dir, `${id}-${port}.${id === 'python' ? 'py' : 'mjs'}`)
    writeFileSync(file, snippet.code)
    return id === 'python'
      ? firstLines('/usr/bin/python3', ['-u', file], {}, 3)
      : firstLines(process.execPath, [file], {}, 3)
  }

  for (const id of ['python', 'node', 'browser'] as const) {
    test(`${id}: the *IDN? answer, then the readings`, async () => {
      const demo = await run(id, 'demo')
      assert.equal(demo[0], SIM_IDN)
      assert.match(demo[1]!, DEMO_READING)
      const streamed = await run(id, 'streaming')
      assert.equal(streamed[0], STREAMING_IDN, 'the answer, not one of the readings before it')
      assert.match(streamed[1]!, STREAMING_READING)
    })
  }
})
