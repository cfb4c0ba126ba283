import { validatePortSettings, validateSettings } from '../../common/validation'
import { clientInfo, createBridgeStandIn, portInfo, type BridgeStandIn } from './bridge-stand-in'

function port(input: Parameters<typeof validatePortSettings>[0]) {
  const result = validatePortSettings(input)
  if (!result.ok) throw new Error(result.errors.join('; '))
  return result.value
}

/** A stand-in bridge filled like a lab PC in use: for screenshots of every view. */
export function demoBridge(kind: BridgeStandIn['kind'] = 'web'): {
  bridge: BridgeStandIn
  stop: () => void
} {
  const bridge = createBridgeStandIn(kind)
  const settings = validateSettings({ server: { allowedOrigins: ['http://localhost:3000'] } })
  if (!settings.ok) throw new Error(settings.errors.join('; '))
  bridge.settings = settings.value
  const sim = portInfo(port({ path: 'sim:demo' }), 'open')
  sim.metrics = {
    ...sim.metrics,
    bytesIn: 48_213,
    framesIn: 1_734,
    bytesInPerSec: 412,
    framesInPerSec: 20,
  }
  const com3 = portInfo(port({ path: 'COM3', baudRate: 115200, id: 'balance' }))
  const usb = {
    ...portInfo(
      port({ path: '/dev/ttyUSB0', baudRate: 19200, parity: 'even', dataBits: 7 }),
      'error',
    ),
    error: '/dev/ttyUSB0 was not found: the device is unplugged or the name is wrong.',
  }
  bridge.ports = [sim, com3, usb]
  bridge.devices = [
    {
      path: 'COM3',
      friendlyName: 'USB Serial Port (COM3)',
      manufacturer: 'FTDI',
      serialNumber: 'A9K2L1',
      vendorId: '0403',
      productId: '6001',
    },
    {
      path: 'COM7',
      friendlyName: 'Prolific USB-to-Serial (COM7)',
      manufacturer: 'Prolific',
      vendorId: '067b',
      productId: '2303',
    },
  ]
  bridge.clients = [
    clientInfo('c1', { framesOut: 1_702, bytesOut: 47_320 }),
    clientInfo('c2', {
      origin: 'http://localhost:3000',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/142.0',
      endpoint: '/ws',
      subscriptions: ['sim-demo', 'balance'],
      framesIn: 4,
      bytesIn: 96,
      readOnly: true,
    }),
  ]
  bridge.refused = [
    {
      at: new Date().toISOString(),
      remoteAddress: '127.0.0.1',
      origin: 'http://evil.example',
      host: '127.0.0.1:8765',
      endpoint: '/ws',
      reason: 'origin',
      status: 403,
      message: 'Origin http://evil.example is not allowed',
    },
    {
      at: new Date(Date.now() - 60_000).toISOString(),
      remoteAddress: '192.168.1.40',
      origin: null,
      host: '192.168.1.12:8765',
      endpoint: '/ports/sim-demo',
      reason: 'token',
      status: 401,
      message: 'A token is required',
    },
  ]
  let t = 22.5
  let n = 0
  const timer = setInterval(() => {
    const frames = []
    for (let i = 0; i < 5; i++) {
      t += (Math.random() - 0.5) * 0.1
      n += 1
      frames.push({
        port: 'sim-demo',
        direction: 'rx' as const,
        ts: Date.now(),
        data: new TextEncoder().encode(
          `T=${t.toFixed(2)} C H=${(45 + Math.sin(n / 20) * 3).toFixed(1)} % n=${n}\r\n`,
        ),
      })
    }
    bridge.emit('frames', { frames, dropped: 0 })
  }, 50)
  return { bridge, stop: () => clearInterval(timer) }
}
