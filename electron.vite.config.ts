import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { rendererConfig } from './renderer/vite.config'

// `electron-vite build` → out/main/index.js (ESM), out/preload/index.cjs, out/renderer/.
export default defineConfig({
  main: {
    build: {
      outDir: resolve('out/main'),
      rolldownOptions: { input: { index: resolve('main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve('out/preload'),
      // A sandboxed preload is CommonJS and may require only `electron`: bundle the rest.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      rolldownOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
})
