import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { chromium, type Browser } from '@playwright/test'
import {
  clientMessageSchema,
  CloseCode,
  errorCodes,
  type ServerMessage,
} from '../../common/protocol'
import { SIM_IDN } from '../../main/core/serial/sim-device'
import {
  accessTokenSchema,
  clientRuleSchema,
  framingSchema,
  matchSchema,
  portSettingsSchema,
  serverSettingsSchema,
} from '../../common/settings-schema'
import { validateSettings } from '../../common/validation'
import { Instrument } from '../helpers/instrument'
import { SocatPair } from '../helpers/socat-pair'
import { TestClient } from '../helpers/ws-client'
import { respond } from '../helpers/respond'

/**
 * Runs the examples of docs/protocol.md against the real engine in headless mode: the simulated
 * port `demo` and a real pty pair from socat (`bench`), where this test plays the instrument.
 */

const ROOT = join(import.meta.dirname, '..', '..')
const EXAMPLES = join(ROOT, 'docs', 'examples')
const DOC = join(ROOT, 'docs', 'protocol.md')
const PYTHON = '/usr/bin/python3'
const READING = /^T=\d+\.\d{2},RH=\d+\.\d$/

/** Collects a stream's lines; `waitFor` resolves with the first line (seen or to come) matching. */
class Lines {
  readonly all: string[] = []
  private partial = ''
  private readonly waiters = new Set<() => void>()
  private ended = false

  constructor(stream: Readable) {
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      const parts = (this.partial + chunk).split('\n')
      this.partial = parts.pop() ?? ''
      this.all.push(...parts)
      for (const wake of this.waiters) wake()
    })
    stream.on('end', () => {
      this.ended = true
      for (const wake of this.waiters) wake()
    })
  }

  waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        for (const line of this.all) {
          const match = line.match(pattern)
          if (match) return done(() => resolve(match))
        }
        if (this.ended) return done(() => reject(new Error(`stream ended without ${pattern}`)))
        return false
      }
      const timer = setTimeout(
        () => done(() => reject(new Error(`no line matching ${pattern} in ${timeoutMs} ms`))),
        timeoutMs,
      )
      const done = (settle: () => void): true => {
        clearTimeout(timer)
        this.waiters.delete(wake)
        settle()
        return true
      }
      const wake = (): void => void check()
      if (!check()) this.waiters.add(wake)
    })
  }
}

interface Run {
  child: ChildProcess
  stdout: Lines
  stderr: Lines
  /** Exit code; the process is killed if it has not exited within the timeout. */
  exited: Promise<number | null>
}

/** Every process a test started and that has not exited yet, so `after` can stop leftovers. */
const running = new Set<ChildProcess>()

function run(
  command: string,
  args: string[],
  { timeoutMs = 20_000, env = {} as Record<string, string> } = {},
): Run {
  const child = spawn(command, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  })
  running.add(child)
  child.once('close', () => running.delete(child))
  const stdout = new Lines(child.stdout!)
  const stderr = new Lines(child.stderr!)
  const exited = new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(
          `${command} ${args.join(' ')} did not exit within ${timeoutMs} ms:\n` +
            [...stdout.all, ...stderr.all].join('\n'),
        ),
      )
    }, timeoutMs)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
  // A test that fails before awaiting still leaves the timeout's rejection handled.
  exited.catch(() => undefined)
  return { child, stdout, stderr, exited }
}

/** Runs an example to its end; fails with its output when it exits with another code. */
async function runToEnd(command: string, args: string[], expectedCode = 0) {
  const r = run(command, args)
  const code = await r.exited
  const output = { stdout: r.stdout.all, stderr: r.stderr.all }
  assert.equal(code, expectedCode, `exit code ${code}: ${JSON.stringify(output, null, 2)}`)
  return output
}

/** Headless mode as a user starts it; resolves once it printed its URL. */
async function startHeadless(config: object, dir: string) {
  const file = join(dir, 'config.json')
  writeFileSync(file, JSON.stringify(config, null, 2))
  const r = run(process.execPath, ['--import', 'tsx', 'main/headless/cli.ts', '--config', file], {
    timeoutMs: 10 * 60_000,
  })
  const stop = async (): Promise<number | null> => {
    if (r.child.exitCode === null) r.child.kill('SIGTERM')
    return r.exited
  }
  try {
    const [, url] = await r.stdout.waitFor(/^listening on (ws:\/\/\S+)$/, 30_000)
    return { url: url!, stop, stderr: r.stderr, child: r.child }
  } catch (error) {
    await stop().catch(() => undefined)
    throw new Error(`headless mode did not start:\n${r.stderr.all.join('\n')}`, { cause: error })
  }
}

describe('docs/examples against headless mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-docs-'))
  const pair = new SocatPair('bench')
  let pages: Server
  let pagesOrigin = ''
  let headless: Awaited<ReturnType<typeof startHeadless>>
  let instrument: Instrument
  let url = ''

  before(async () => {
    await pair.plug()
    // Serves the browser example; its origin is what the config allows.
    pages = createServer((req, res) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/dashboard.html') {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(readFileSync(join(EXAMPLES, 'dashboard.html')))
    })
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve))
    pagesOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`
    headless = await startHeadless(
      {
        server: { port: 0, allowedOrigins: [pagesOrigin] },
        ports: [
          // As in the quick start (examples/demo.json): its readings parse into numbers.
          { id: 'demo', path: 'sim:demo', parse: { mode: 'keyValue' } },
          { id: 'bench', path: pair.a, baudRate: 115200 },
          // The port the protocol's poll and release examples name.
          { id: 'meter', path: 'sim:demo' },
        ],
      },
      dir,
    )
    url = headless.url
    await headless.stderr.waitFor(/^port bench .* open$/)
    await headless.stderr.waitFor(/^port demo .* open$/)
    await headless.stderr.waitFor(/^port meter .* open$/)
    instrument = await Instrument.open(pair.b)
  })

  after(async () => {
    await Promise.all(
      [...running]
        .filter((c) => c !== headless?.child)
        .map((c) => {
          const closed = new Promise((resolve) => c.once('close', resolve))
          c.kill('SIGKILL')
          return closed
        }),
    )
    await instrument?.close()
    const code = await headless?.stop()
    await new Promise<void>((resolve) => (pages ? pages.close(() => resolve()) : resolve()))
    await pair.dispose()
    rmSync(dir, { recursive: true, force: true })
    assert.equal(code, 0, 'headless mode exits 0 on SIGTERM')
  })

  describe('Python (websockets)', () => {
    test('read-lines.py prints the simulated readings', async () => {
      const out = await runToEnd(PYTHON, [join(EXAMPLES, 'read-lines.py'), url, 'demo', '3'])
      assert.equal(out.stdout.length, 3)
      for (const line of out.stdout) assert.match(line, READING)
    })

    test('read-lines.py prints what an instrument on a pty sends', async () => {
      const r = run(PYTHON, [join(EXAMPLES, 'read-lines.py'), url, 'bench', '2'])
      await r.stderr.waitFor(/^connected to ws:\/\/.*\/ports\/bench$/)
      await instrument.write('U=1.250\nU=1.251\n')
      assert.equal(await r.exited, 0)
      assert.deepEqual(r.stdout.all, ['U=1.250', 'U=1.251'])
    })

    test('read-lines.py reads its URL and port from the environment', async () => {
      const r = run(PYTHON, [join(EXAMPLES, 'read-lines.py')], {
        env: { SERIAL_BRIDGE_URL: url, SERIAL_BRIDGE_PORT: 'demo' },
      })
      try {
        await r.stdout.waitFor(READING)
      } finally {
        r.child.kill('SIGINT')
        assert.equal(await r.exited, 0, 'Ctrl+C ends it quietly')
      }
    })

    test('read-lines.py says when the port id is unknown (HTTP 404)', async () => {
      const out = await runToEnd(PYTHON, [join(EXAMPLES, 'read-lines.py'), url, 'nope', '1'], 1)
      assert.match(out.stderr.join('\n'), /refused: .*404/)
    })

    test('query-idn.py asks the simulated instrument *IDN?', async () => {
      const out = await runToEnd(PYTHON, [join(EXAMPLES, 'query-idn.py'), url, 'demo'])
      assert.deepEqual(out.stdout, [SIM_IDN])
      assert.match(out.stderr.join('\n'), /^connected to Serial Bridge \S+ as c\d+$/m)
    })

    test('query-idn.py gets the answer of an instrument on a pty', async () => {
      const before = instrument.bytes().length
      const stop = respond(instrument, (line) =>
        line === '*IDN?' ? 'ACME,Model 42,A1234,2.1\n' : undefined,
      )
      try {
        const out = await runToEnd(PYTHON, [join(EXAMPLES, 'query-idn.py'), url, 'bench'])
        assert.deepEqual(out.stdout, ['ACME,Model 42,A1234,2.1'])
        // The write terminator (default "\n") was appended to the command.
        assert.equal(instrument.bytes().subarray(before).toString(), '*IDN?\n')
      } finally {
        stop()
      }
    })

    test("poll-readings.py prints the numbers of the simulator's polled readings", async () => {
      const out = await runToEnd(PYTHON, [join(EXAMPLES, 'poll-readings.py'), url, 'demo', '3'])
      assert.equal(out.stdout.length, 3)
      for (const line of out.stdout) assert.match(line, /^T=\d+(\.\d+)? RH=\d+(\.\d+)?$/)
    })

    test('poll-readings.py on a pty: the command is asked on a schedule; text without numbers says so', async () => {
      const before = instrument.lines.length
      const stop = respond(instrument, (line) => (line === 'MEAS?' ? 'V=1.234\n' : undefined))
      try {
        const out = await runToEnd(PYTHON, [join(EXAMPLES, 'poll-readings.py'), url, 'bench', '2'])
        assert.deepEqual(out.stdout, ['(no numbers) V=1.234', '(no numbers) V=1.234'])
        const asked = instrument.lines.slice(before)
        assert.ok(asked.length >= 2 && asked.every((l) => l === 'MEAS?'), asked.join(', '))
      } finally {
        stop()
      }
    })

    test('query-idn.py reports TIMEOUT when the instrument stays silent', async () => {
      const out = await runToEnd(PYTHON, [join(EXAMPLES, 'query-idn.py'), url, 'bench', 'MUTE?'], 1)
      assert.match(out.stderr.join('\n'), /TIMEOUT: no reply within 2000 ms/)
    })
  })

  describe('Node.js (ws)', () => {
    test('control.mjs subscribes, queries, writes and prints data from the simulator', async () => {
      const out = await runToEnd(process.execPath, [join(EXAMPLES, 'control.mjs'), url, 'demo'])
      const text = out.stdout.join('\n')
      assert.match(text, /^connected to Serial Bridge \S+ as c\d+$/m)
      assert.match(text, /^port demo \(sim:demo\): open$/m)
      assert.match(text, /^subscribed: demo$/m)
      assert.match(text, new RegExp(`^reply: ${escape(SIM_IDN)}$`, 'm'))
      assert.match(text, /^ack: 6 bytes written$/m)
      const data = out.stdout.filter((l) => l.startsWith('data '))
      assert.ok(data.length >= 3, text)
      for (const line of data) {
        assert.match(line, /^data demo #\d+ \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \S+$/)
      }
    })

    test('control.mjs against an instrument on a pty', async () => {
      const before = instrument.bytes().length
      const stop = respond(instrument, (line) => {
        if (line === '*IDN?') return 'ACME,Model 42,A1234,2.1\n'
        if (line === 'hello') return 'U=1.250\nU=1.251\n'
        return undefined
      })
      try {
        const out = await runToEnd(process.execPath, [join(EXAMPLES, 'control.mjs'), url, 'bench'])
        const text = out.stdout.join('\n')
        assert.match(text, /^reply: ACME,Model 42,A1234,2\.1$/m)
        assert.match(text, /^ack: 6 bytes written$/m)
        // Subscribers see the reply to a query as data too.
        const data = out.stdout.flatMap((l) => l.match(/^data bench #\d+ \S+ (.*)$/)?.[1] ?? [])
        assert.deepEqual(data, ['ACME,Model 42,A1234,2.1', 'U=1.250', 'U=1.251'])
        assert.equal(instrument.bytes().subarray(before).toString(), '*IDN?\nhello\n')
      } finally {
        stop()
      }
    })
  })

  test("docs/protocol.md's startPoll, stopPoll and release get the answers it shows", async () => {
    const example = (type: string, n = 0) => docMessages(readFileSync(DOC, 'utf8'), type)[n]!
    const client = await TestClient.connect(`${url}/ws`)
    try {
      await client.nextMessage('hello')
      client.send({ type: 'subscribe', ports: ['meter'] })
      await client.nextMessage('subscribed')

      client.send(example('startPoll'))
      assert.deepEqual(await client.nextMessage('pollStarted'), example('pollStarted'))
      client.send(example('stopPoll'))
      assert.deepEqual(await client.nextMessage('pollStopped'), example('pollStopped'))

      const sent = Date.now()
      client.send(example('release'))
      const released = await client.nextMessage('released')
      const { until, ...rest } = released
      const { until: _shown, ...shown } = example('released') as typeof released
      assert.deepEqual(rest, shown)
      const seconds = (Date.parse(until!) - sent) / 1000
      assert.ok(seconds > 55 && seconds <= 61, `released for ${seconds} s`)
      const status = await client.nextMessage('status', (m) => m.state === 'released')
      assert.deepEqual([status.port, status.until], ['meter', until])

      client.send(example('release', 1))
      const open = await client.nextMessage('released', (m) => m.until === null)
      assert.deepEqual(open, { type: 'released', port: 'meter', until: null })
    } finally {
      await client.close()
    }
  })

  test("samples.mjs prints batches of the simulator's numbers", async () => {
    const out = await runToEnd(process.execPath, [join(EXAMPLES, 'samples.mjs'), url, 'demo', '2'])
    assert.equal(out.stdout.length, 2, out.stderr.join('\n'))
    for (const line of out.stdout) {
      assert.match(line, /^demo: \d+ frames, T [\d.]+\.\.[\d.]+, RH [\d.]+\.\.[\d.]+$/)
    }
  })

  describe('browser (real Chromium)', () => {
    let browser: Browser

    before(async () => {
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      })
    })
    after(async () => {
      await browser?.close()
    })

    test('dashboard.html shows readings, asks *IDN? and sends a command', async () => {
      const page = await browser.newPage()
      try {
        await page.goto(`${pagesOrigin}/dashboard.html?url=${encodeURIComponent(url)}&port=demo`)
        await page.locator('#state', { hasText: /^connected$/ }).waitFor({ timeout: 10_000 })
        await page.locator('#latest', { hasText: READING }).waitFor({ timeout: 10_000 })
        await page.getByRole('button', { name: 'Ask *IDN?' }).click()
        await page.locator('#reply', { hasText: SIM_IDN }).waitFor({ timeout: 10_000 })
        await page.getByRole('textbox', { name: 'Command' }).fill('from the browser')
        await page.getByRole('button', { name: 'Send' }).click()
        await page.locator('#ack', { hasText: 'sent 17 bytes' }).waitFor({ timeout: 10_000 })
        // The simulator echoes the line back: it arrives as data.
        await page.locator('#log li', { hasText: 'from the browser' }).first().waitFor()
      } finally {
        await page.close()
      }
    })

    test('a page whose origin is not in server.allowedOrigins is refused', async () => {
      const page = await browser.newPage()
      try {
        // Same files, another origin: http://localhost:PORT is not the allowed http://127.0.0.1:PORT.
        const foreign = pagesOrigin.replace('127.0.0.1', 'localhost')
        await page.goto(`${foreign}/dashboard.html?url=${encodeURIComponent(url)}&port=demo`)
        await page.locator('#state', { hasText: /^closed \(1006\)/ }).waitFor({ timeout: 10_000 })
        // The page sees only 1006; a client that can read the HTTP answer gets 403 and why.
        const refused = await TestClient.refusedWith(`${url}/ws`, { origin: foreign })
        assert.equal(refused.status, 403)
        assert.match(refused.body, /not allowed; add it to server\.allowedOrigins/)
      } finally {
        await page.close()
      }
    })
  })
})

/** The messages of type `type` in docs/protocol.md's ndjson blocks, in order. */
function docMessages(doc: string, type: string): Array<Record<string, unknown>> {
  return [...doc.matchAll(/```ndjson\n([\s\S]*?)```/g)]
    .flatMap(([, block]) => block!.split('\n'))
    .filter((line) => line.startsWith(`{"type":"${type}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Every message the server sends, by type. */
const SERVER_TYPES = [
  'hello',
  'ports',
  'subscribed',
  'data',
  'status',
  'ack',
  'reply',
  'lagged',
  'gap',
  'pong',
  'error',
  'samples',
  'pollStarted',
  'pollStopped',
  'released',
] as const satisfies ReadonlyArray<ServerMessage['type']>

describe('docs/protocol.md', () => {
  const doc = readFileSync(DOC, 'utf8')

  test('quotes every example file verbatim', () => {
    for (const file of [
      'read-lines.py',
      'query-idn.py',
      'control.mjs',
      'dashboard.html',
      'node-red-flow.json',
      'poll-readings.py',
      'samples.mjs',
    ]) {
      const code = readFileSync(join(EXAMPLES, file), 'utf8')
      assert.ok(doc.includes(code), `docs/protocol.md quotes docs/examples/${file} as it is`)
    }
  })

  test('names every message type, error code, close code and config field', () => {
    // Fails to compile when the protocol gains a server message the list lacks.
    const complete: Exclude<ServerMessage['type'], (typeof SERVER_TYPES)[number]> extends never
      ? true
      : false = true
    assert.ok(complete)
    const clientTypes = clientMessageSchema.options.map((o) => o.shape.type.value)
    for (const type of [...SERVER_TYPES, ...clientTypes]) {
      assert.ok(doc.includes(`"type":"${type}"`), `an example of the "${type}" message`)
    }
    for (const code of errorCodes) assert.ok(doc.includes(`\`${code}\``), code)
    for (const code of Object.values(CloseCode)) assert.ok(doc.includes(`| ${code} `), `${code}`)
    const fields = [
      ...Object.keys(serverSettingsSchema.shape),
      ...Object.keys(portSettingsSchema.in.shape),
      ...Object.keys(framingSchema.shape),
      ...Object.keys(matchSchema.shape),
      ...Object.keys(accessTokenSchema.shape),
      ...Object.keys(clientRuleSchema.shape),
    ]
    for (const field of fields) assert.ok(doc.includes(`\`${field}\``), `config field ${field}`)
  })

  test('every request in an ndjson block is valid, and every message is of a known type', () => {
    const serverTypes = new Set<string>(SERVER_TYPES)
    const clientTypes = new Set(clientMessageSchema.options.map((o) => o.shape.type.value))
    const lines = [...doc.matchAll(/```ndjson\n([\s\S]*?)```/g)].flatMap(([, b]) =>
      b!.split('\n').filter(Boolean),
    )
    assert.ok(lines.length >= 30, `found ${lines.length}`)
    for (const line of lines) {
      let message: { type?: string }
      try {
        message = JSON.parse(line) as { type?: string }
      } catch {
        // Abridged examples only: `[PortInfo, ...]`, `{...}`.
        assert.match(line, /\.\.\./, `not JSON: ${line}`)
        continue
      }
      if (clientTypes.has(message.type as never)) {
        const parsed = clientMessageSchema.safeParse(message)
        assert.ok(parsed.success, `${line}: ${parsed.error?.message}`)
      } else assert.ok(serverTypes.has(message.type ?? ''), `unknown message: ${line}`)
    }
  })

  test('every settings example is a valid settings file', () => {
    const blocks = [...doc.matchAll(/```json\n(\{\s*"(?:server|ports)"[\s\S]*?)```/g)]
    assert.ok(blocks.length >= 4, `found ${blocks.length}`)
    for (const [, text] of blocks) {
      const checked = validateSettings(JSON.parse(text!))
      assert.ok(checked.ok, `${checked.ok ? '' : checked.errors.join('; ')}\n${text}`)
    }
  })
})
