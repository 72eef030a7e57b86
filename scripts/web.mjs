// `npm run web -- [--port 5710] [--data-dir DIR] [--token T] [--demo]`: the web host, after
// (re)building the renderer when its sources are newer than the build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp, root, runForeground } from './child-process.mjs';

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function rendererIsStale() {
  const built = join(root, 'out', 'renderer', 'index.html');
  if (!existsSync(built)) return true;
  const sources = [join(root, 'src-renderer'), join(root, 'src-main', 'contract'), join(root, 'electron.vite.config.ts')];
  return sources.some((path) => existsSync(path) && newestMtime(path) > statSync(built).mtimeMs);
}

export async function runWebHost(args) {
  if (rendererIsStale()) {
    console.error('Groundwork: building the renderer…');
    await buildApp();
  }
  // tsx runs the TypeScript host directly (Node 20 cannot).
  runForeground(process.execPath, ['--import', 'tsx', join(root, 'src-main', 'host', 'main.ts'), ...args]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runWebHost(process.argv.slice(2));
}
