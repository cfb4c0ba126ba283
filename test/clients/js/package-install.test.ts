import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { waitFor } from '../../helpers/wait'
import { javascriptExamples, withUrl } from './helpers/docs-examples'
import { MeterRig } from './helpers/rig'

const ROOT = resolve(import.meta.dirname, '../../..')
const PACKAGE = join(ROOT, 'clients/js')
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc')

/** A TypeScript user of the package: compiles only if the declarations are real (not `any`). */
const CONSUMER = `import { connect, Frame, Gap, Timeout, type Bridge, type StreamItem } from '@serial-bridge/client'

export async function firstLine(url: string): Promise<string> {
  const bridge: Bridge = await connect(url, { reconnect: { maxDelayMs: 1000 } })
  for await (const item of bridge.stream('meter')) {
    const known: StreamItem = item
    if (known instanceof Gap) continue
    const frame: Frame = known
    // @ts-expect-error text is a string
    const wrong: number = frame.text
    void wrong
    return frame.text
  }
  throw new Timeout('no line')
}
`

describe('npm install ./clients/js into a project of its own', () => {
  const project = mkdtempSync(join(tmpdir(), 'sb-js-install-'))
  let rig: MeterRig

  before(async () => {
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'lab-rig', private: true, type: 'module' }),
    )
    // --offline: the package's one dependency is in this repository already; nothing is fetched.
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', PACKAGE], {
      cwd: project,
      stdio: 'pipe',
    })
    rig = await MeterRig.start()
  })

  after(async () => {
    await rig?.stop()
    rmSync(project, { recursive: true, force: true })
  })

  test('the installed package is built: ESM and .d.ts files', () => {
    const installed = realpathSync(join(project, 'node_modules/@serial-bridge/client'))
    assert.equal(installed, realpathSync(PACKAGE))
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/bridge.d.ts'])
      assert.ok(existsSync(join(installed, file)), file)
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      type: string
      dependencies: Record<string, string>
    }
    assert.equal(manifest.type, 'module')
    assert.deepEqual(Object.keys(manifest.dependencies), ['ws'])
  })

  test('plain Node imports it by name', () => {
    const names = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "console.log(Object.keys(await import('@serial-bridge/client')).join(' '))",
      ],
      { cwd: project, encoding: 'utf8' },
    )
      .trim()
      .split(' ')
    for (const name of [
      'connect',
      'Bridge',
      'Frame',
      'Gap',
      'Reply',
      'BridgeError',
      'ConnectionLost',
      'Timeout',
      'UnknownPort',
    ])
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`)
  })

  test('its declarations type-check a strict TypeScript user', () => {
    writeFileSync(join(project, 'consumer.ts'), CONSUMER)
    // No DOM and no Node types: the declarations must stand on the language alone.
    const compilerOptions = {
      strict: true,
      noEmit: true,
      target: 'es2022',
      lib: ['es2022'],
      types: [],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      skipLibCheck: false,
    }
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions, files: ['consumer.ts'] }),
    )
    try {
      execFileSync(process.execPath, [TSC, '-p', 'tsconfig.json'], {
        cwd: project,
        encoding: 'utf8',
      })
    } catch (error) {
      assert.fail(`tsc: ${(error as { stdout?: string }).stdout}`)
    }
  })

  test("the docs' Node example runs as written (but for the address)", async () => {
    writeFileSync(
      join(project, 'example.mjs'),
      withUrl(javascriptExamples().node, rig.headless.url),
    )
    const child = spawn(process.execPath, ['example.mjs'], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    try {
      await rig.meter.waitForLine('*IDN?', 30_000)
      await rig.meter.write('ACME,Model 42,A1234,2.1\n')
      await waitFor(() => out.includes('*IDN? -> ACME,Model 42,A1234,2.1\n'), {
        what: `the answer; stderr: ${err}`,
      })
      // The stream starts after the answer: write until a line shows that it is reading.
      let n = 0
      await waitFor(
        async () => {
          await rig.meter.write(`V=${++n}\n`)
          return /^V=\d+$/m.test(out)
        },
        { what: `streamed lines; got ${out}${err}`, everyMs: 100, timeoutMs: 15_000 },
      )
    } finally {
      child.kill()
      await once(child, 'exit')
    }
  })
})
