import { test, type Locator, type Page } from '@playwright/test'

/** A screenshot under test-results/e2e/, attached to the report: look at it. */
export async function shot(page: Page | Locator, name: string): Promise<void> {
  const path = test.info().outputPath(`${name}.png`)
  await page.screenshot({ path })
  await test.info().attach(name, { path, contentType: 'image/png' })
}
