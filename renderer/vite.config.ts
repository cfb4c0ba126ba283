import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/**
 * The renderer build. `base: './'` keeps asset URLs relative, so the same files load from
 * Electron's file:// and from headless mode's `/app/`. `outDir` is relative to `root`.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
  },
})
