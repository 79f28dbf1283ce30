// Layer rules: where a file runs is visible in its path, and these rules keep it true.
//   src/shared      pure TypeScript: no electron, no Node built-ins, no DOM
//   src/main/core   Node, never electron
//   src/main/web    Node (browser mode host), never electron
//   src/main/core-host  Node (the core in a utilityProcess), never electron, the shell or browser mode
//   src/renderer    DOM only: nothing from src/main, no electron, no Node
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));

const noElectron = {
  name: 'electron',
  message: 'Layer rule: this layer must not import electron (only src/main/shell and src/preload may).',
};
// Built-ins by exact name ('fs', 'fs/promises', …): a pattern would also catch our own './domain'.
const noNodeBuiltinNames = nodeBuiltins.map((name) => ({ name, message: 'Layer rule: this layer must not import Node built-ins.' }));
const noNodePrefix = [{ group: ['node:*'], message: 'Layer rule: this layer must not import Node built-ins.' }];
const noMainFromRenderer = {
  regex: '(^|/)(main|preload)(/|$)',
  message: 'Layer rule: src/renderer must not import from src/main or src/preload; go through the ConsoleApi contract.',
};

const noShellOrWebFromHost = {
  regex: '(^|/)(shell|web)(/|$)',
  message: 'Layer rule: src/main/core-host must not import src/main/shell or src/main/web; it runs without Electron and the shell passes in what it needs.',
};

const noOuterLayersFromCore = {
  regex: '(^|/)(shell|web|core-host|backends)(/|$)',
  message: 'Layer rule: src/main/core must not import src/main/shell, src/main/web, src/main/core-host or backends/; the composition roots pass them in.',
};

// DOM globals that must not appear in layers without a DOM.
const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'HTMLElement', 'location'].map(
  (name) => ({ name, message: 'Layer rule: this layer has no DOM.' }),
);

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      '.stryker-tmp*/**',
      'reports/**',
      'build/**',
      'test-results/**',
      'playwright-report/**',
      'tests/fixtures/layer-violations/**',
      'backends/**/public/vendor/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, ...noNodeBuiltinNames], patterns: noNodePrefix }],
      'no-restricted-globals': ['error', ...domGlobals, { name: 'process', message: 'Layer rule: src/shared has no Node globals.' }, { name: 'Buffer', message: 'Layer rule: src/shared has no Node globals.' }],
    },
  },
  {
    files: ['src/main/core/**/*.ts', 'src/main/web/**/*.ts', 'src/main/core-host/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron] }],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    // The core is plain Node code: the shell, browser mode and the reference backends are wired
    // around it by the composition roots, never imported by it.
    files: ['src/main/core/**/*.ts', 'tests/fixtures/layer-violations/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noOuterLayersFromCore] }],
    },
  },
  {
    // The core host runs in a utilityProcess (or a forked Node): the core and the demo launcher only.
    files: ['src/main/core-host/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noShellOrWebFromHost] }],
    },
  },
  {
    // No import cycles anywhere in the app (type-only imports are not cycles).
    files: ['src/**/*.{ts,tsx}', 'tests/fixtures/layer-violations/cycle/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
      // Without these the rule parses no TypeScript dependency and so never sees a cycle.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: [noElectron, ...noNodeBuiltinNames], patterns: [noMainFromRenderer, ...noNodePrefix] }],
      // Message text is untrusted: it is rendered as text, never as HTML.
      'no-restricted-properties': ['error', { property: 'innerHTML', message: 'Untrusted text is rendered as text, never as HTML.' }, { property: 'outerHTML', message: 'Untrusted text is rendered as text, never as HTML.' }],
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Untrusted text is rendered as text, never as HTML: dangerouslySetInnerHTML is forbidden.' },
      ],
    },
  },
  {
    // The reference backend's visitor widget runs in a browser page.
    files: ['backends/**/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser, Pusher: 'readonly' } },
  },
  {
    files: ['src/preload/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
