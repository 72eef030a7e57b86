/**
 * Builds the renderer into out/renderer (what the web host serves) unless it is newer than every
 * source file it is built from. Only the renderer: the web tests need nothing else, and a broken
 * main-process build must not hide renderer results.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '..', '..');
const outDir = join(root, 'out', 'renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export default async function globalSetup(): Promise<void> {
  const index = join(outDir, 'index.html');
  const sources = Math.max(newestMtime(join(root, 'src-renderer')), newestMtime(join(root, 'src-main', 'contract')));
  if (existsSync(index) && statSync(index).mtimeMs > sources && !process.env.GROUNDWORK_REBUILD) return;
  // Same settings as electron.vite.config.ts's renderer section (root, absolute base, output).
  await build({
    configFile: false,
    root: join(root, 'src-renderer'),
    base: '/',
    plugins: [react()],
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  });
}
