/**
 * Lint: typescript-eslint's recommended rules, React's hook rules in the renderer, and the import
 * boundaries of DESIGN.md (Layout; Conventions 2 and 4), which are the reason this file is long.
 *
 * Boundaries use @typescript-eslint/no-restricted-imports (the core rule plus `allowTypeImports`).
 * It matches import strings, not resolved files, so two things keep it exact:
 *  - where a boundary depends on where a relative path lands (contract/ may reach only its own
 *    files; core/ may not reach src-main/electron or src-main/host), one config object is made per
 *    folder depth, and the regex counts the `../` needed to leave the folder;
 *  - everywhere, relative paths must be written normalised (no `x/../y`, no `./` in the middle),
 *    so a path cannot go round a boundary.
 * ESLint does not merge the options of one rule across config objects (the last match wins), so
 * every object below carries the complete option list for the files it matches.
 * One boundary has per-file exceptions and so uses ESLint's own `no-restricted-imports` instead
 * (config objects of another rule do not overwrite these): the app (src-main/) never imports relay
 * code (sync-server/) — except its tests and test factories, which start a real relay.
 * Not covered: `require()` and dynamic `import()`; the code base uses neither for these modules.
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const RULE = '@typescript-eslint/no-restricted-imports';
/** Deepest folder nesting under an area that gets its own depth-exact config (more is unlikely). */
const MAX_NESTING = 8;
const TS = '{ts,tsx,mts,cts}';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `../` repeated n times, as a regex, after an optional leading `./`. */
const up = (n) => `(?:\\./)?(?:\\.\\./){${n}}`;
/** A pattern entry: regexes are anchored by the caller and case-sensitive (the default is not). */
const pattern = (regex, message, extra = {}) => ({ regex, message, caseSensitive: true, ...extra });

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_')).map(escape);
const nodeBuiltinRegex = `^(?:node:.*|(?:${nodeBuiltins.join('|')})(?:/.*)?)$`;

// ---- restrictions shared by every area --------------------------------------------------------

const onlyElectronImportsElectron = pattern(
  '^electron(?:/.*)?$',
  "Only src-main/electron/** (and the preload in src-preload/**) may import 'electron' (DESIGN.md, " +
    'Conventions 4): the core, the web host, the renderer and the relay run without Electron. Pass ' +
    'what you need in through a port given to createCore, or ask main over RPC. ' +
    "Playwright's Electron tests use `_electron` from '@playwright/test'.",
);
const normalisedPaths = pattern(
  '(?:^|/)(?!\\.\\.?/)[^/]+/(?:.*/)?\\.\\.(?:/|$)|/\\.(?:/|$)',
  'Write relative imports normalised (no `x/../y`, no `/./`): the import-boundary lint reads the ' +
    'path as written, and a detour could hide an import across a boundary (eslint.config.js).',
);

// ---- per-area restrictions ----------------------------------------------------------------------

const contractMessage =
  'src-main/contract/ is env-neutral (DESIGN.md, Conventions 2 and 4): it may import only zod, ' +
  'its own files and the env-neutral files of src-main/sync-protocol/ (not its Node-only ' +
  'data-dir-lock) — no node builtins, electron, react, ws, PGlite, and nothing from core/, rpc/, ' +
  'electron/ or host/. It is loaded by the renderer, the preload and the core alike.';
/**
 * contract/ at `nesting` levels below src-main/contract: zod, `./x`, `../x` staying inside, or a
 * file directly in src-main/sync-protocol other than the data-dir lock.
 */
const contractPatterns = (nesting) => {
  const inside = nesting > 0 ? `|(?:\\.\\./){1,${nesting}}[^./].*` : '';
  const syncProtocol = `|${up(nesting + 1)}sync-protocol/(?!data-dir-lock(?:\\.ts)?$)[^./][^/]*`;
  return [pattern(`^(?!(?:zod(?:/.*)?|\\./[^./].*${inside}${syncProtocol})$)`, contractMessage)];
};

const syncProtocolMessage =
  'src-main/sync-protocol/ is what the app and the relay both speak (DESIGN.md, Relay): it may ' +
  'import only zod, yjs, lib0, y-protocols and its own files — never core/, rpc/, electron/, ' +
  'host/, contract/ or sync-server/, which import it. Node builtins only in data-dir-lock.ts, its ' +
  'one Node-only file (and in its tests).';
/**
 * sync-protocol/ at `nesting` levels below src-main/sync-protocol: the listed packages (each with
 * subpaths), `./x`, or `../x` staying inside. `builtins`: also Node builtins.
 */
const syncProtocolPatterns = (packages, builtins) => (nesting) => {
  const inside = nesting > 0 ? `|(?:\\.\\./){1,${nesting}}[^./].*` : '';
  const node = builtins ? `|${nodeBuiltinRegex.slice(1, -1)}` : '';
  return [pattern(`^(?!(?:(?:${packages.join('|')})(?:/.*)?|\\./[^./].*${inside}${node})$)`, syncProtocolMessage)];
};
const SYNC_PROTOCOL_PACKAGES = ['zod', 'yjs', 'lib0', 'y-protocols'];

const relayMessage =
  'sync-server/ (the relay) may import from src-main/ only src-main/sync-protocol/ (DESIGN.md, ' +
  'Relay): what the app and the relay both speak lives there; the relay ships without the app.';
const relayPatterns = [pattern('(?:^|/)src-main(?:/(?!sync-protocol(?:/|$)).*)?$', relayMessage)];

/** For ESLint's own no-restricted-imports (see the header): the app never imports relay code. */
const noRelayCodeInApp = [
  'error',
  {
    patterns: [
      {
        regex: '(?:^|/)sync-server(?:/.*)?$',
        message:
          'The app (src-main/) never imports relay code (DESIGN.md, Relay): what both speak is in ' +
          'src-main/sync-protocol/. Only tests and test factories may start a real relay from sync-server/.',
      },
    ],
  },
];

const coreMessage =
  'src-main/core/ is plain Node and never imports src-main/electron/ or src-main/host/ (DESIGN.md, ' +
  'Processes): the same core runs in Electron, in the web host and in tests, and only those ' +
  'composition roots differ. Receive what you need through the ports given to createCore.';
/** core/ at `nesting` levels below src-main/core: a path reaches src-main/ after nesting + 1 `../`. */
const corePatterns = (nesting) => [
  pattern(`^${up(nesting + 1)}(?:electron|host)(?:/.*)?$`, coreMessage),
  pattern(`(?:^|/)src-main/(?:electron|host)(?:/.*)?$`, coreMessage),
  pattern(
    '^react(?:-dom)?(?:/.*)?$',
    'src-main/core/ is plain Node: no React (DESIGN.md, Layout). UI lives in src-renderer/.',
  ),
];

const rendererPatterns = [
  pattern(
    '(?:^|/)src-main(?:/(?!contract(?:/|$)).*)?$',
    'src-renderer/ may import from src-main/ only src-main/contract (DESIGN.md, Conventions 4): the ' +
      'renderer runs in a browser page and reaches the core only through the RPC client ' +
      '(src-renderer/api/). core/, rpc/, electron/ and host/ are Node code.',
  ),
  pattern(
    '(?:^|/)src-preload/bridge$',
    'src-renderer/ may import src-preload/bridge type-only (`import type`): the preload runs in ' +
      'another context, and its values do not exist in the page.',
    { allowTypeImports: true },
  ),
  pattern(
    '(?:^|/)src-preload(?:/(?!bridge$).*)?$',
    'src-renderer/ may import from src-preload/ only the Bridge type (`import type` from ' +
      'src-preload/bridge); the preload is a separate, sandboxed script.',
  ),
  pattern(
    nodeBuiltinRegex,
    'src-renderer/ runs in a browser page: no Node builtins (DESIGN.md, Layout). Work that needs ' +
      'Node belongs in the core, reached through the API.',
  ),
];

const restrict = (...patterns) => ['error', { patterns }];

/**
 * One config object per nesting depth below `dir`, each with the complete option list; `file` is
 * the glob of the file name (default any TypeScript file).
 */
const perDepth = (dir, patternsFor, { file = `*.${TS}`, label = '' } = {}) =>
  Array.from({ length: MAX_NESTING + 1 }, (_, nesting) => ({
    name: `groundwork/boundaries/${dir}${label}/depth-${nesting}`,
    files: [`${dir}/${'*/'.repeat(nesting)}${file}`],
    rules: { [RULE]: restrict(onlyElectronImportsElectron, normalisedPaths, ...patternsFor(nesting)) },
  }));

const boundaries = [
  {
    name: 'groundwork/boundaries/everywhere',
    files: [`**/*.${TS}`, '**/*.{js,mjs,cjs}'],
    rules: { 'no-restricted-imports': 'off', [RULE]: restrict(onlyElectronImportsElectron, normalisedPaths) },
  },
  {
    // The only places that may import 'electron': the main process and the preload.
    name: 'groundwork/boundaries/electron-and-preload',
    files: [`src-main/electron/**/*.${TS}`, `src-preload/**/*.${TS}`],
    rules: { [RULE]: restrict(normalisedPaths) },
  },
  ...perDepth('src-main/contract', contractPatterns),
  ...perDepth('src-main/core', corePatterns),
  ...perDepth('src-main/sync-protocol', syncProtocolPatterns(SYNC_PROTOCOL_PACKAGES, false)),
  {
    // Its one Node-only file, and the tests (with the child processes they spawn).
    name: 'groundwork/boundaries/src-main/sync-protocol/node-only',
    files: ['src-main/sync-protocol/data-dir-lock.ts', 'src-main/sync-protocol/lock-in-child.ts'],
    rules: { [RULE]: restrict(onlyElectronImportsElectron, normalisedPaths, ...syncProtocolPatterns([], true)(0)) },
  },
  ...perDepth('src-main/sync-protocol', syncProtocolPatterns([...SYNC_PROTOCOL_PACKAGES, 'vitest', 'fast-check'], true), {
    file: `*.test.${TS}`,
    label: '/tests',
  }),
  {
    name: 'groundwork/boundaries/src-renderer',
    files: [`src-renderer/**/*.${TS}`],
    rules: { [RULE]: restrict(onlyElectronImportsElectron, normalisedPaths, ...rendererPatterns) },
  },
  {
    name: 'groundwork/boundaries/sync-server',
    files: [`sync-server/**/*.${TS}`],
    rules: { [RULE]: restrict(onlyElectronImportsElectron, normalisedPaths, ...relayPatterns) },
  },
  {
    name: 'groundwork/boundaries/app-never-imports-relay',
    files: [`src-main/**/*.${TS}`, `src-preload/**/*.${TS}`, `src-renderer/**/*.${TS}`],
    rules: { 'no-restricted-imports': noRelayCodeInApp },
  },
  {
    // Tests and test factories start a real relay (DESIGN.md, Testing).
    name: 'groundwork/boundaries/app-tests-may-start-a-relay',
    files: [`src-main/**/*.test.${TS}`, `src-main/core/testing/**/*.${TS}`],
    rules: { 'no-restricted-imports': 'off' },
  },
];

export default defineConfig(
  {
    ignores: ['out/', 'node_modules/', 'test-results/', 'playwright-report/', '.scratch/', 'dist/', '.data/'],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  // Not the type-checked set: on this 2-core machine it took 39 s for the repo (vs 5 s) while the
  // code base is still small, and `npm test` runs `tsc -b` right after lint anyway.
  tseslint.configs.recommended,
  {
    // Everything outside the renderer runs in Node (main, core, host, relay, scripts, tests).
    ignores: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: [`src-renderer/**/*.${TS}`],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: [`src-renderer/**/*.${TS}`],
    rules: {
      // Says only that React Compiler would skip memoising a component (TanStack Virtual's
      // useVirtualizer). The app does not run React Compiler, so it is noise here.
      'react-hooks/incompatible-library': 'off',
    },
  },
  {
    // Playwright reads a fixture's first parameter as a destructuring pattern to learn which
    // fixtures it depends on; a fixture that depends on none must write `async ({}, use) => …`.
    files: [`e2e/**/*.${TS}`],
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] },
  },
  {
    // The preload sees both: Node's process and the page's window.
    files: [`src-preload/**/*.${TS}`],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    rules: {
      // Unused names are mistakes, except the `_`-prefixed ones kept on purpose (a callback's
      // position, a rest sibling that drops a field).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  boundaries,
);
