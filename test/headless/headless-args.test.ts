import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { headlessArgvOf, parseHeadlessArgs } from '../../main/headless/headless-args'

describe('headless arguments', () => {
  test('the installed app is the bridge alone only with --headless; what follows is ours', () => {
    assert.equal(headlessArgvOf(['C:\\Program Files\\Serial Bridge\\Serial Bridge.exe']), null)
    assert.deepEqual(
      headlessArgvOf(['Serial Bridge.exe', '--headless', '--config', 'C:\\lab\\bridge.json']),
      ['--config', 'C:\\lab\\bridge.json'],
    )
    // `electron .` in development: the app path and Electron's switches come first.
    assert.deepEqual(
      headlessArgvOf(['electron', '.', '--no-sandbox', '--headless', '--config', 'x.json', '--ui']),
      ['--config', 'x.json', '--ui'],
    )
  })

  test('--port must be a port number', () => {
    for (const bad of ['x', '-1', '65536', '1.5']) {
      const r = parseHeadlessArgs([`--port=${bad}`])
      assert.equal(r.ok, false, bad)
      assert.match(!r.ok ? r.error : '', /--port: ".*" is not a port number/)
    }
  })

  test('options, with defaults', () => {
    assert.deepEqual(parseHeadlessArgs([]), {
      ok: true,
      args: { config: null, port: null, ui: false, log: null, data: null, help: false },
    })
    assert.deepEqual(
      parseHeadlessArgs([
        '--config',
        'a.json',
        '--log',
        'C:\\logs\\bridge.log',
        '--data',
        'D',
        '--ui',
      ]),
      {
        ok: true,
        args: {
          config: 'a.json',
          port: null,
          ui: true,
          log: 'C:\\logs\\bridge.log',
          data: 'D',
          help: false,
        },
      },
    )
    assert.deepEqual(parseHeadlessArgs(['--config=b.json', '--port', '9000']), {
      ok: true,
      args: { config: 'b.json', port: 9000, ui: false, log: null, data: null, help: false },
    })
  })

  test('wrong arguments are refused in words', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--confg', 'a.json'], /Unknown option '--confg'/],
      [['--config'], /--config.*argument missing/],
      [['--config', ''], /--config needs a path/],
      [['stray'], /Unexpected argument 'stray'/],
      [['--ui=yes'], /--ui.*does not take an argument/],
    ]
    for (const [argv, message] of cases) {
      const parsed = parseHeadlessArgs(argv)
      assert.ok(!parsed.ok, argv.join(' '))
      assert.match(parsed.error, message)
    }
  })
})
