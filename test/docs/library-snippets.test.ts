import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, describe, test } from 'node:test'
import { librarySnippets } from '../../renderer/src/connect/library-snippets'
import { buildClient } from '../clients/js/helpers/client-build'
import { HeadlessProcess, ROOT } from '../helpers/headless-process'
import { waitFor } from '../helpers/wait'

const TOKEN = 'lab-token-12345'
const IDN = 'SerialBridge,SimulatedInstrument,SB-0001,1.0'
const READING = /^\d{4}-\d\d-\d\dT[\d:.]+(Z|\+00:00) T=\d+\.\d{2},RH=\d+\.\d$/

/** Runs a snippet until it printed `count` lines; resolves with them. */
async function firstLines(command: string, args: string[], env: object, count: number) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let stderr = ''
  createInterface({ input: child.stdout }).on('line', (l) => lines.push(l))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${stderr}`)
        return lines.length >= count
      },
      { timeoutMs: 30_000, what: `${count} lines` },
    )
    return lines
  } finally {
    child.kill('SIGKILL')
  }
}

/**
 * The Connect panel's "with the library" snippets, run as a user pastes them: the Python one
 * with the package's source on PYTHONPATH, the JavaScript one in a project where the package
 * is installed (built as its `prepare` script builds it).
 */
describe('the Connect panel snippets with the client libraries', () => {
  // Under the repository: the installed package finds `ws` in its node_modules, as in a project.
  const cache = join(ROOT, 'node_modules', '.cache')
  mkdirSync(cache, { recursive: true })
  const dir = mkdtempSync(join(cache, 'sb-library-snippets-'))
  let headless: HeadlessProcess
  let url = ''

  before(async () => {
    headless = HeadlessProcess.start({
      server: { port: 0, token: TOKEN },
      ports: [{ id: 'demo', path: 'sim:demo' }],
    })
    url = await headless.url()
  })
  after(async () => {
    await headless?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  test('Python (serialbridge): the answer to *IDN?, then readings with their time', async () => {
    const snippet = librarySnippets(url, 'demo', TOKEN).find((s) => s.id === 'python-library')!
    const file = join(dir, 'snippet.py')
    writeFileSync(file, snippet.code)
    const lines = await firstLines(
      '/usr/bin/python3',
      [file],
      { PYTHONPATH: join(ROOT, 'clients/python/src') },
      3,
    )
    assert.equal(lines[0], IDN)
    assert.match(lines[1]!, READING)
  })

  test('JavaScript (@serial-bridge/client): the same', async () => {
    const installed = join(dir, 'node_modules', '@serial-bridge', 'client')
    mkdirSync(installed, { recursive: true })
    copyFileSync(join(ROOT, 'clients/js/package.json'), join(installed, 'package.json'))
    buildClient(join(installed, 'dist'))
    const snippet = librarySnippets(url, 'demo', TOKEN).find((s) => s.id === 'node-library')!
    const file = join(dir, 'snippet.mjs')
    writeFileSync(file, snippet.code)
    const lines = await firstLines(process.execPath, [file], {}, 3)
    assert.equal(lines[0], IDN)
    assert.match(lines[1]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z T=\d+\.\d{2},RH=\d+\.\d$/)
  })
})
