// Lint also guards the architecture: the engine runs in plain Node, the renderer in a sandbox.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import prettier from 'eslint-config-prettier'

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'net', 'http', 'child_process', 'crypto']

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', '**/dist/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Examples for people to copy: plain Node scripts.
    files: ['docs/examples/**/*.mjs'],
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly' },
    },
  },
  {
    files: ['main/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*', 'electron-store'],
              message: 'main/core runs in plain Node: no Electron.',
            },
            { group: ['react', 'react-dom', 'react/*'], message: 'main/core has no UI.' },
            {
              group: [
                '**/shell/**',
                '**/ipc/**',
                '**/renderer/**',
                '**/preload/*',
                '!**/preload/contract',
                '!**/preload/admin-wire',
              ],
              message: 'main/core must not depend on the Electron shell or the UI.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/core/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['react', 'react-dom', 'react/*'], message: 'The shell has no React.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*'],
              message: 'The renderer reaches main only through window.bridge.',
            },
            { group: nodeBuiltins, message: 'The renderer runs sandboxed: no Node modules.' },
            {
              group: [
                '**/main/**',
                '**/preload/**',
                '!**/preload/contract',
                '!**/preload/admin-wire',
              ],
              allowTypeImports: true,
              message:
                'The renderer may import only types from main/, and the contract from preload/.',
            },
          ],
        },
      ],
    },
  },
)
