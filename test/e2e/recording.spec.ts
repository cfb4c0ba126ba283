import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HeadlessProcess } from '../helpers/headless-process'
import { TestClient } from '../helpers/ws-client'
import { shot } from './shot'

// Recording and the Recordings view in browser mode, told in order as a technician would.
test.describe.configure({ mode: 'serial' })

let headless: HeadlessProcess
let page: Page

test.beforeAll(async ({ browser }) => {
  headless = HeadlessProcess.start(
    { server: { port: 0 }, ports: [{ id: 'demo', path: 'sim:demo' }] },
    ['--ui'],
  )
  await headless.url()
  const uiUrl = (await headless.line(/^ui: (\S+)$/, 120_000))[1]!
  page = await browser.newPage({ acceptDownloads: true })
  await page.goto(uiUrl)
  await expect(page.getByText('Admin: connected')).toBeVisible()
})

test.afterAll(async () => {
  await page?.close()
  await headless?.stop()
})

test('Record on the port card: state, size and duration grow, the file downloads', async () => {
  const card = page.getByRole('article', { name: 'Port demo' })
  const recording = card.getByRole('group', { name: 'Recording of demo' })
  await expect(recording.getByText('Not recording')).toBeVisible()
  await recording.getByRole('button', { name: 'Record' }).click()
  await expect(recording.getByText('Recording', { exact: true })).toBeVisible()
  await expect(recording.getByText(/\d+(\.\d)? (B|KB) · [1-9]\d* s/)).toBeVisible({
    timeout: 15_000,
  })
  await shot(page, 'port-card-recording')
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    recording.getByRole('button', { name: /^Download / }).click(),
  ])
  expect(download.suggestedFilename()).toMatch(/^demo-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.jsonl$/)
  const first = readFileSync(await download.path(), 'utf8').split('\n')[0]!
  expect(JSON.parse(first)).toMatchObject({ port: 'demo', event: 'start', format: 1 })
})

test('the Stream view shows the same recording and stops it', async () => {
  await page.getByRole('tab', { name: 'Stream' }).click()
  const recording = page.getByRole('group', { name: 'Recording of demo' })
  await expect(recording.getByText('Recording', { exact: true })).toBeVisible()
  await expect(
    page.getByRole('list', { name: 'Data of demo' }).getByText(/T=\d/).first(),
  ).toBeVisible()
  await shot(page, 'stream-recording')
  await recording.getByRole('button', { name: 'Stop recording' }).click()
  await expect(recording.getByText('Not recording')).toBeVisible()
})

test('the Recordings view: export CSV (downloaded), replay, delete after confirming', async () => {
  await page.getByRole('tab', { name: 'Recordings' }).click()
  const row = page.getByRole('row', { name: /^Recording demo\// })
  await expect(row).toHaveCount(1)
  await expect(row.getByRole('cell').nth(4)).toHaveText(/^[1-9][\d,]*$/)
  // Started and Ended: 24-hour (never "12:53:45 AM"), dated only when not today.
  for (const column of [1, 2]) {
    await expect(row.getByRole('cell').nth(column)).toHaveText(
      /^(\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d$/,
    )
  }
  await shot(page, 'recordings-view')

  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('button', { name: 'Export CSV' }).click(),
  ])
  expect(csv.suggestedFilename()).toMatch(/^demo-.*\.csv$/)
  const lines = readFileSync(await csv.path(), 'utf8').split('\r\n')
  expect(lines[0]).toBe('ts,dir,data')
  expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,rx,"T=\d+\.\d\d,RH=\d+\.\d"$/)

  await row.getByRole('button', { name: 'Replay' }).click()
  await expect(
    page.getByRole('status').filter({ hasText: /as port replay-demo: see Stream/ }),
  ).toBeVisible()
  await page.getByRole('tab', { name: 'Stream' }).click()
  await page.getByRole('combobox', { name: 'Port' }).selectOption('replay-demo')
  await expect(
    page.getByRole('list', { name: 'Data of replay-demo' }).getByText(/T=\d/).first(),
  ).toBeVisible()
  await page.getByRole('tab', { name: 'Recordings' }).click()

  await row.getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(row.getByText('Delete it?')).toBeVisible()
  await shot(page, 'recordings-delete-confirm')
  await row.getByRole('button', { name: 'Delete recording' }).click()
  await expect(page.getByText(/No recordings yet/)).toBeVisible()
})

test('a recordings folder that cannot be written: card and Stream say why, then it recovers', async () => {
  await page.getByRole('tab', { name: 'Ports' }).click()
  const card = page.getByRole('article', { name: 'Port demo' })
  const recording = card.getByRole('group', { name: 'Recording of demo' })
  await recording.getByRole('button', { name: 'Record' }).click()
  await expect(recording.getByText('Recording', { exact: true })).toBeVisible()
  await expect(recording.getByText('Recording demo')).toBeVisible()

  // The folder replaced by a file: what an unmounted or removed disk looks like to the recorder.
  const root = join(headless.dir, 'recordings')
  rmSync(root, { recursive: true, force: true })
  writeFileSync(root, 'not a folder')
  const said =
    `cannot write to ${join(root, 'demo')}: the folder was removed. ` +
    'Recording resumes by itself when writing works again.'
  await expect(recording.getByText('Recording stopped')).toBeVisible({ timeout: 15_000 })
  await expect(recording.getByRole('alert')).toHaveText(said)
  await expect(
    recording.getByText('Recording demo'),
    'the success message is not left stale',
  ).toHaveCount(0)
  await expect(card.getByRole('status', { name: 'State: Open' })).toBeVisible()
  await shot(page, 'port-card-recording-error')

  await page.getByRole('tab', { name: 'Stream' }).click()
  await page.getByRole('combobox', { name: 'Port' }).selectOption('demo')
  const inStream = page.getByRole('group', { name: 'Recording of demo' })
  await expect(inStream.getByRole('alert')).toHaveText(said)
  // The port and its clients go on meanwhile.
  const tool = await TestClient.connect(`${await headless.url()}/ports/demo`)
  await tool.next((r) => (r.data.startsWith('T=') ? true : undefined))
  await tool.close()
  await shot(page, 'stream-recording-error')

  rmSync(root)
  mkdirSync(root)
  await expect(inStream.getByText('Recording', { exact: true })).toBeVisible({ timeout: 15_000 })
  await expect(inStream.getByRole('alert')).toHaveCount(0)
  await shot(page, 'stream-recording-resumed')
  await inStream.getByRole('button', { name: 'Stop recording' }).click()
  await expect(inStream.getByText('Not recording')).toBeVisible()
})
