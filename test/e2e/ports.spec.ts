import { expect, test, type Page } from '@playwright/test'
import { HeadlessProcess } from '../helpers/headless-process'
import { shot } from './shot'

// Port cards in two tabs at once: what one tab does changes the other under its pointer.
test.describe.configure({ mode: 'serial' })

let headless: HeadlessProcess
let ui = ''
let pages: Page[] = []

test.beforeAll(async ({ browser }) => {
  headless = HeadlessProcess.start(
    { server: { port: 0 }, ports: [{ id: 'sim', path: 'sim:demo', autoOpen: false }] },
    ['--ui'],
  )
  ui = (await headless.line(/^ui: (\S+)$/, 120_000))[1]!
  pages = [await browser.newPage(), await browser.newPage()]
  for (const page of pages) {
    await page.goto(ui)
    await expect(page.getByText('Admin: connected')).toBeVisible()
  }
})

test.afterAll(async () => {
  for (const page of pages) await page.close()
  await headless?.stop()
})

test('a click meant for "Open" never closes a port that opened under the pointer', async () => {
  const [mine, other] = pages as [Page, Page]
  const card = mine.getByRole('article', { name: 'Port sim' })
  const button = card.getByRole('button', { name: 'Open', exact: true })
  await button.hover()
  // The port opens elsewhere (another tab here; auto-open does the same) while the pointer waits.
  await other
    .getByRole('article', { name: 'Port sim' })
    .getByRole('button', { name: 'Open', exact: true })
    .click()
  await expect(card.getByRole('status', { name: 'State: Open' })).toBeVisible()
  await expect(button, 'the button keeps what it said while the pointer is on it').toBeVisible()
  await shot(mine, 'open-button-held-under-pointer')
  await button.click()
  await expect(card.getByRole('status').filter({ hasText: 'sim:demo is open' })).toBeVisible()
  await expect(card.getByRole('status', { name: 'State: Open' })).toBeVisible()
  await mine.mouse.move(0, 0)
  await expect(card.getByRole('button', { name: 'Close', exact: true })).toBeVisible()
  await expect(card.getByRole('status', { name: 'State: Open' })).toBeVisible()
})

test('a success message goes away once the state it told of has changed', async () => {
  const [mine, other] = pages as [Page, Page]
  const card = mine.getByRole('article', { name: 'Port sim' })
  const elsewhere = other.getByRole('article', { name: 'Port sim' })
  if (await elsewhere.getByRole('status', { name: 'State: Open' }).isVisible()) {
    await elsewhere.getByRole('button', { name: 'Close', exact: true }).click()
  }
  await card.getByRole('button', { name: 'Open', exact: true }).click()
  await expect(card.getByText('sim:demo is open')).toBeVisible()
  await mine.mouse.move(0, 0)
  await elsewhere.getByRole('button', { name: 'Close', exact: true }).click()
  await expect(card.getByRole('status', { name: 'State: Closed' })).toBeVisible()
  await expect(card.getByText('sim:demo is open')).toHaveCount(0)
  await shot(mine, 'port-closed-elsewhere')
})
