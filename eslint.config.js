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
      // One source of truth per fact: a constant typed `typeof` another is a copy of it.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'VariableDeclarator > Identifier.id > TSTypeAnnotation > TSTypeQuery',
          message:
            'Import the constant (from common/) instead of re-declaring it typed as its copy.',
        },
      ],
    },
  },
  {
    // The project's own Node scripts.
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
  {
    // Examples for people to copy: plain Node scripts.
    files: ['docs/examples/**/*.mjs'],
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly' },
    },
  },
  ...layerRules(),
)

/**
 * Which folder may import which (`npm run layers` prints the graph that results):
 * common → zod and re2js only; main/core → common; main/admin and main/headless → core, common;
 * the shell (main/shell, main/ipc, main/index.ts) → all of main, common; preload → electron,
 * common; renderer → common. Each rule names the layer and why.
 */
function layerRules() {
  const restrict = (files, patterns, ignores) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  })
  const electron = (why) => ({ group: ['electron', 'electron/*', 'electron-store'], message: why })
  const react = (why) => ({ group: ['react', 'react-dom', 'react/*'], message: why })
  const commonOnly = (regex) => ({
    regex,
    message:
      'common/ is shared by every runtime (Node, Electron, browser): zod, re2js and itself only.',
  })
  const folders = (names, why) => ({
    regex: `(^|/)(${names.join('|')})(/|$)`,
    message: why,
  })
  return [
    restrict(['common/*.ts'], [commonOnly('^(?!zod$|re2js$)(?!\\./)')]),
    // One folder down (common/values/): `../x` is still common/, `../../x` is not.
    restrict(['common/*/**/*.ts'], [commonOnly('^(?!zod$|re2js$)(?!\\./)(?!\\.\\./(?!\\.\\./))')]),
    restrict(
      ['main/core/**/*.ts'],
      [
        electron('main/core is the engine and runs in plain Node: no Electron.'),
        react('main/core has no UI.'),
        folders(
          ['admin', 'headless', 'shell', 'ipc', 'renderer', 'preload'],
          'main/core is the engine: the hosts (admin, headless, shell) use it, never the reverse.',
        ),
      ],
    ),
    restrict(
      ['main/admin/**/*.ts', 'main/headless/**/*.ts'],
      [
        electron('Headless mode and the admin channel run in plain Node: no Electron.'),
        react('The hosts have no React.'),
        folders(
          ['shell', 'ipc', 'renderer', 'preload'],
          'Plain-Node hosts do not use the Electron shell.',
        ),
      ],
    ),
    restrict(
      ['main/**/*.ts'],
      [
        react('The shell has no React.'),
        folders(['renderer', 'preload'], 'main reaches the UI only over IPC.'),
      ],
      ['main/core/**', 'main/admin/**', 'main/headless/**'],
    ),
    restrict(
      ['preload/**/*.ts'],
      [
        {
          regex: '^(?!electron$)(?!\\./)(?!(\\.\\./)+common/)',
          message: 'A sandboxed preload may require only electron; shared code comes from common/.',
        },
      ],
    ),
    restrict(
      ['renderer/**/*.ts', 'renderer/**/*.tsx'],
      [
        {
          group: ['electron', 'electron/*'],
          message: 'The renderer reaches main only through window.bridge.',
        },
        { group: nodeBuiltins, message: 'The renderer runs sandboxed: no Node modules.' },
        folders(['main', 'preload'], 'The renderer shares only common/ with the hosts.'),
      ],
      // Its build config runs in Node, not in the page.
      ['renderer/vite.config.ts'],
    ),
  ]
}
