import { chromium } from '@playwright/test'
import { validatePortSettings } from '../../common/validation'
import { createBridgeStandIn, portInfo } from './bridge-stand-in'
import { startPreviewServer } from './preview-server'

/**
 * Measures the stream view in real Chromium while 10,000 frames/s arrive over the admin
 * WebSocket in ~60 batches a second (as the contract promises). Prints, does not assert.
 * Run after a renderer build: node --import tsx test/renderer/measure-stream.ts
 */
const RATE = 10_000
const BATCH_HZ = 60
const SECONDS = 5
const bridge = createBridgeStandIn('web')
const settings = validatePortSettings({ path: 'sim:demo' })
if (!settings.ok) throw new Error(settings.errors.join('; '))
bridge.ports = [portInfo(settings.value, 'open')]
const server = await startPreviewServer('out/renderer', bridge, 'measure-admin-token-0123456789')
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
})
let n = 0
const encoder = new TextEncoder()
const timer = setInterval(() => {
  const frames = Array.from({ length: RATE / BATCH_HZ }, () => ({
    port: 'sim-demo',
    direction: 'rx' as const,
    ts: Date.now(),
    data: encoder.encode(`T=22.50 C H=45.0 % n=${++n}\r\n`),
  }))
  bridge.emit('frames', { frames, dropped: 0 })
}, 1000 / BATCH_HZ)
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 700 } })
  await page.goto(server.uiUrl)
  await page.getByRole('tab', { name: 'Stream' }).click()
  await page.getByText(/[\d,]+ lines shown/).waitFor()
  // A string, not a function: tsx would add helpers to a function that the page lacks.
  const result = (await page.evaluate(`(async () => {
    const long = []
    new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration)))
      .observe({ type: 'longtask' })
    let frames = 0
    let worst = 0
    let last = performance.now()
    const end = last + ${SECONDS} * 1000
    await new Promise((resolve) => {
      const tick = (now) => {
        frames += 1
        worst = Math.max(worst, now - last)
        last = now
        if (now < end) requestAnimationFrame(tick)
        else resolve()
      }
      requestAnimationFrame(tick)
    })
    return {
      fps: frames / ${SECONDS},
      worstFrameMs: Math.round(worst),
      longTasks: long.length,
      longestTaskMs: Math.round(Math.max(0, ...long)),
      rowsInDom: document.querySelectorAll('.stream-list [role=listitem]').length,
    }
  })()`)) as Record<string, number>
  // Typing stays responsive: time from key press to the character being in the box.
  const box = page.getByRole('textbox', { name: 'Command to send' })
  const t0 = Date.now()
  await box.pressSequentially('*IDN?')
  const typingMs = Date.now() - t0
  const shown = await page.getByText(/[\d,]+ lines shown/).textContent()
  console.log(JSON.stringify({ rate: RATE, sent: n, shown, ...result, typing5KeysMs: typingMs }))
} finally {
  clearInterval(timer)
  await browser.close()
  await server.close()
}
