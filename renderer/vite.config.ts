import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig, type UserConfig } from 'vite'

/**
 * The renderer build, the one definition for both `vite build` here (browser mode) and the
 * renderer part of electron.vite.config.ts. `base: './'` keeps asset URLs relative, so the same
 * files load from the desktop app's app://bridge/ and from headless mode's `/app/`.
 */
export const rendererConfig = {
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, '../out/renderer'),
    emptyOutDir: true,
  },
} satisfies UserConfig

export default defineConfig(rendererConfig)
