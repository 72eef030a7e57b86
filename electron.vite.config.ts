/**
 * Three builds: main (the Electron main process, the core's utilityProcess and the relay CLI),
 * preload (CJS, so windows can keep `sandbox: true`) and the renderer (React, out/renderer, also
 * served by the web host). Folders are not electron-vite's defaults, so every entry is explicit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicyMeta } from './src-main/host/content-security-policy';

const root = import.meta.dirname;

/**
 * Absolute asset URLs. electron-vite forces base './' for file:// loading, but both of our hosts
 * serve the renderer at / (groundwork://app/, http://127.0.0.1:P/), and index.html is also the
 * answer for in-app paths such as /projects/1, where relative URLs would point into a folder that
 * does not exist.
 */
function absoluteBase(): Plugin {
  return { name: 'groundwork:absolute-base', enforce: 'post', config: () => ({ base: '/' }) };
}

/**
 * The built index.html carries the app's CSP in a <meta> (a second line of defence behind the
 * header), from the same constant the web host and the Electron protocol send. Build only: the
 * dev server needs an inline script (React Refresh's preamble) that the policy forbids.
 */
function cspMetaTag(): Plugin {
  return {
    name: 'groundwork:csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicyMeta }, injectTo: 'head-prepend' },
    ],
  };
}

/** Copies files into the build's output folder: `files()` maps an output path to a source file. */
function copyBeside(name: string, files: () => Record<string, string>): Plugin {
  return {
    name: `groundwork:${name}`,
    generateBundle() {
      for (const [fileName, from] of Object.entries(files())) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(from) });
      }
    },
  };
}

/**
 * The core reads its SQL migrations from `./migrations/` beside its own module; in a build that
 * module is out/main/core-process.js, so the .sql files go to out/main/migrations/.
 */
function sqlMigrations(): Plugin {
  const dir = resolve(root, 'src-main/core/db/migrations');
  return copyBeside('sql-migrations', () =>
    Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.sql')).map((f) => [`migrations/${f}`, join(dir, f)])),
  );
}

/**
 * The window icon (src-main/electron/main-window.ts) is read from beside the main bundle, so it is
 * inside the packaged app wherever that lives. Windows wants the .ico, Linux a PNG; macOS takes
 * the app bundle's .icns, which electron-builder puts there (electron-builder.json).
 */
function windowIcons(): Plugin {
  return copyBeside('window-icons', () => ({
    'icon.png': resolve(root, 'resources/icon.png'),
    'icon.ico': resolve(root, 'resources/icon.ico'),
  }));
}

export default defineConfig({
  main: {
    plugins: [sqlMigrations(), windowIcons()],
    build: {
      // Dependencies stay external (electron-vite's default): PGlite loads its wasm and data files
      // from its own package folder at run time, which bundling would break.
      externalizeDeps: true,
      outDir: resolve(root, 'out/main'),
      rolldownOptions: {
        input: {
          main: resolve(root, 'src-main/electron/main.ts'),
          'core-process': resolve(root, 'src-main/electron/core-process.ts'),
          relay: resolve(root, 'sync-server/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rolldownOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        // A sandboxed preload cannot be an ES module; `.cjs` because package.json says "module".
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react(), cspMetaTag(), absoluteBase()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: {
        input: { index: resolve(root, 'src-renderer/index.html') },
      },
    },
  },
});
