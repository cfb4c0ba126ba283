import { defineConfig } from '@playwright/test'

/**
 * The desktop app end to end, driven through Playwright's `_electron`. Needs a real Electron
 * binary (an installed `electron` package that downloaded it, or ELECTRON_OVERRIDE_DIST_PATH)
 * and a build: `npm run build && npm run test:electron`. See docs/desktop.md.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results/electron',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
})
