// Running the build and the app as child processes, the same way on every OS: no shell (so no
// quoting or .cmd differences), JS entry points run with this very Node.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

/** Runs `command` to completion with inherited stdio; resolves with its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell: false, ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Runs the long-lived app process and exits with its code. Ctrl+C reaches the child directly
 * (same process group), so it is ignored here and the child shuts down cleanly; a SIGTERM sent
 * only to us is passed on.
 */
export function runForeground(command, args, options = {}) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell: false, ...options });
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('error', (error) => {
    console.error(`Groundwork: could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
}

/** `electron-vite build`, run through Node rather than the npm bin shim (a .cmd on Windows). */
export async function buildApp() {
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const code = await run(process.execPath, [cli, 'build']);
  if (code !== 0) {
    console.error('Groundwork: the build failed (see above).');
    process.exit(code);
  }
}
