import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { promisify } from 'node:util'
import { DelimiterParser } from '@serialport/parser-delimiter'
import { HeadlessProcess, ROOT } from '../helpers/headless-process'
import { Instrument } from '../helpers/instrument'
import { SocatPair } from '../helpers/socat-pair'
import { waitFor } from '../helpers/wait'

const run = promisify(execFile)
const DOC = readFileSync(join(ROOT, 'docs/protocol.md'), 'utf8')
const SECTION = DOC.slice(DOC.indexOf('\n## REST API\n'), DOC.indexOf('\n## Config file\n'))
const DOC_BASE = 'http://127.0.0.1:8765'
const IDN = 'SerialBridge,SimulatedInstrument,SB-0001,1.0'

/** The fenced blocks of a language in the REST API section, as written there. */
function blocks(lang: string): string[] {
  return [...SECTION.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map(
    (m) => m[1]!,
  )
}

/**
 * Runs one of the page's curl lines through a shell, as a reader pastes it; the page's `demo`
 * port is played by `port`.
 */
async function curl(
  line: string,
  base: string,
  port = 'bench',
): Promise<{ code: number; out: string }> {
  const command = line.replaceAll(DOC_BASE, base).replaceAll('/ports/demo', `/ports/${port}`)
  try {
    const { stdout } = await run('sh', ['-c', command], {
      env: { ...process.env, SERIAL_BRIDGE_TOKEN: 'not-needed-here' },
    })
    return { code: 0, out: stdout }
  } catch (error) {
    const failed = error as { code: number; stdout: string }
    return { code: failed.code, out: failed.stdout }
  }
}

/**
 * The REST API section of docs/protocol.md, run against headless mode: every curl line, the
 * urllib example and the LabVIEW request, on a real pty whose instrument this test plays
 * (answers *IDN?, silent to MUTE?).
 */
describe('docs/protocol.md, REST API: the examples against headless mode', () => {
  const pair = new SocatPair('rest-docs')
  let headless: HeadlessProcess
  let instrument: Instrument
  let base = ''

  before(async () => {
    await pair.plug()
    headless = HeadlessProcess.start({
      server: { port: 0 },
      ports: [
        { id: 'demo', path: 'sim:demo' },
        { id: 'bench', path: pair.a, baudRate: 115200 },
      ],
    })
    base = (await headless.url()).replace(/^ws/, 'http')
    instrument = await Instrument.open(pair.b)
    instrument.port.pipe(new DelimiterParser({ delimiter: '\n' })).on('data', (line: Buffer) => {
      if (line.toString() === '*IDN?') void instrument.write(`${IDN}\n`)
    })
    await waitFor(
      async () => {
        const ports = (await (await fetch(`${base}/api/v1/ports`)).json()) as {
          ports: Array<{ state: string }>
        }
        return ports.ports.every((p) => p.state === 'open')
      },
      { what: 'both ports open', timeoutMs: 20_000 },
    )
  })
  after(async () => {
    await instrument?.close()
    await headless?.stop()
    await pair.dispose()
  })

  test('the page quotes docs/examples/rest.py as it is', () => {
    const file = readFileSync(join(ROOT, 'docs/examples/rest.py'), 'utf8')
    assert.deepEqual(blocks('python'), [file])
  })

  test('every curl line does what the page says', async () => {
    const lines = blocks('sh')[0]!.trim().split('\n')
    assert.equal(lines.length, 7)
    const answers = []
    for (const line of lines) answers.push(await curl(line, base))
    const json = answers.map((a) => JSON.parse(a.out) as Record<string, unknown>)
    assert.deepEqual(
      (json[0]!.ports as Array<{ id: string }>).map((p) => p.id),
      ['demo', 'bench'],
    )
    assert.equal(json[1]!.id, 'bench')
    assert.ok('lastFrame' in json[1]!)
    assert.deepEqual([json[2]!.data, json[2]!.encoding], [IDN, 'utf8'])
    assert.deepEqual(json[3], { bytes: 9 })
    await instrument.waitForLine('SYST:REM')
    assert.deepEqual(json[4], { bytes: 2 })
    assert.deepEqual(answers[5]!.code, 22)
    assert.deepEqual(json[5], {
      error: { code: 'TIMEOUT', message: 'no reply within 200 ms' },
    })
    assert.ok(Array.isArray(json[6]!.ports))
    assert.ok(answers.every((a, i) => i === 5 || a.code === 0))
  })

  test('rest.py lists the ports, shows the last frame, queries and writes', async () => {
    const { stdout, stderr } = await run('/usr/bin/python3', [
      join(ROOT, 'docs/examples/rest.py'),
      base,
      'bench',
    ])
    assert.match(stderr, /^demo: open\nbench: open\n$/)
    const out = stdout.trim().split('\n')
    assert.match(out[0]!, /^last frame: /)
    assert.match(out[1]!, new RegExp(`^\\*IDN\\? -> ${IDN} \\([\\d.]+ ms\\)$`))
    assert.equal(out[2], 'wrote 9 bytes')
    // Against the simulator too, from the environment.
    const sim = await run('/usr/bin/python3', [join(ROOT, 'docs/examples/rest.py')], {
      env: { ...process.env, SERIAL_BRIDGE_HTTP: base, SERIAL_BRIDGE_PORT: 'demo' },
    })
    assert.match(sim.stdout, /^last frame: T=\d+\.\d{2},RH=\d+\.\d$/m)
  })

  test('rest.py says what went wrong: the status, code and message', async () => {
    const error = (await run('/usr/bin/python3', [
      join(ROOT, 'docs/examples/rest.py'),
      base,
      'nope',
    ]).catch((e: unknown) => e)) as { code: number; stderr: string }
    assert.equal(error.code, 1)
    assert.match(error.stderr, /^HTTP 404 UNKNOWN_PORT: unknown port: nope$/m)
    const silent = (await run('/usr/bin/python3', [
      join(ROOT, 'docs/examples/rest.py'),
      base,
      'bench',
      'MUTE?',
    ]).catch((e: unknown) => e)) as { code: number; stderr: string }
    assert.equal(silent.code, 1)
    assert.match(silent.stderr, /^HTTP 504 TIMEOUT: no reply within 2000 ms$/m)
  })

  test('the LabVIEW exchange, byte for byte', async () => {
    const [request, answer] = blocks('http')
    const sent = request!.replaceAll('\n', '\r\n').replace('/ports/demo/', '/ports/bench/')
    // The page's request ends with its body; the block's last line ending is not part of it.
    const raw = sent.slice(0, -2)
    const reply = await rawFullRequest(Number(new URL(base).port), raw)
    assert.match(answer!, /^HTTP\/1\.1 200 OK\nContent-Type: application\/json; charset=utf-8\n/)
    assert.equal(reply.status, 200)
    assert.match(reply.head, /content-type: application\/json; charset=utf-8/i)
    const body = JSON.parse(reply.body) as { data: string; encoding: string; ms: number }
    assert.deepEqual([body.data, body.encoding], [IDN, 'utf8'])
  })
})

/**
 * The second curl block (polls and release), against headless mode's simulated `demo` port as
 * the page says, with a headless process of its own: its last line releases the port for a
 * minute.
 */
describe('docs/protocol.md, REST API: the polls and release examples against sim:demo', () => {
  let headless: HeadlessProcess
  let base = ''
  const savedPolls = () =>
    (JSON.parse(readFileSync(headless.configPath, 'utf8')) as { ports: Array<{ polls?: unknown }> })
      .ports[0]!.polls

  before(async () => {
    headless = HeadlessProcess.start({
      server: { port: 0 },
      ports: [{ id: 'demo', path: 'sim:demo' }],
    })
    base = (await headless.url()).replace(/^ws/, 'http')
    await waitFor(
      async () => {
        const port = (await (await fetch(`${base}/api/v1/ports/demo`)).json()) as { state: string }
        return port.state === 'open'
      },
      { what: 'demo open', timeoutMs: 20_000 },
    )
  })
  after(() => headless?.stop())

  test('every curl line does what the page says', async () => {
    const lines = blocks('sh')[1]!.trim().split('\n')
    assert.equal(lines.length, 5)
    const run = async (i: number) => {
      const answer = await curl(lines[i]!, base, 'demo')
      return { code: answer.code, json: JSON.parse(answer.out) as Record<string, unknown> }
    }
    const started = await run(0)
    assert.deepEqual(started.json, { port: 'demo', name: 'meas', intervalMs: 1000 })
    // As the settings keep it: with the defaults filled in.
    const saved = {
      name: 'meas',
      command: 'MEAS?',
      intervalMs: 1000,
      encoding: 'utf8',
      timeoutMs: 1000,
      expect: '^T=',
    }
    assert.deepEqual(savedPolls(), [saved])
    const listed = (await run(1)).json.polls as Array<Record<string, unknown>>
    assert.equal(listed.length, 1)
    const { stats, ...poll } = listed[0]!
    assert.deepEqual(poll, { ...saved, owner: 'settings' })
    assert.deepEqual(Object.keys(stats as object), [
      'sent',
      'answered',
      'timeouts',
      'skipped',
      'lastReplyAt',
      'lastRoundTripMs',
    ])
    assert.deepEqual((await run(2)).json, { port: 'demo', name: 'meas' })
    assert.deepEqual(savedPolls(), [])
    const refused = await run(3)
    assert.equal(refused.code, 22)
    assert.deepEqual(refused.json, {
      error: { code: 'BAD_MESSAGE', message: 'intervalMs: intervalMs must be at least 20 ms' },
    })
    const asked = Date.now()
    const released = await run(4)
    assert.equal(released.code, 0)
    assert.equal(released.json.port, 'demo')
    const until = Date.parse(String(released.json.until))
    assert.ok(until >= asked + 59_000 && until <= Date.now() + 60_000, String(released.json.until))
    const port = (await (await fetch(`${base}/api/v1/ports/demo`)).json()) as { state: string }
    assert.equal(port.state, 'released')
  })
})

/** Sends `request` as it is over TCP; resolves with the answer's status, head and body. */
function rawFullRequest(port: number, request: string) {
  return new Promise<{ status: number; head: string; body: string }>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let received = ''
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8')
      const [head, body = ''] = received.split('\r\n\r\n')
      const length = Number(/content-length: (\d+)/i.exec(head!)?.[1] ?? NaN)
      if (body.length >= length) {
        socket.destroy()
        resolve({ status: Number(head!.split(' ')[1]), head: head!, body })
      }
    })
    socket.on('error', reject)
    socket.write(request)
  })
}
