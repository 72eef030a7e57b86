// Whether the desktop app can run here: an Electron binary on disk and a display to show it on.
// Never `require('electron')` to find out: when the binary is missing that starts a download.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** @returns {{ ok: true, path: string } | { ok: false, missing: 'binary', reason: string }} */
export function findElectronBinary() {
  let pkgDir;
  try {
    pkgDir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { ok: false, missing: 'binary', reason: 'the electron package is missing: run npm install' };
  }
  // Mirrors node_modules/electron/index.js: path.txt names the binary inside dist/.
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? join(override, relative || 'electron') : relative ? join(pkgDir, 'dist', relative) : '';
  if (!binary || !existsSync(binary)) {
    return {
      ok: false,
      missing: 'binary',
      // Since Electron 42, npm install no longer downloads the binary (no install script).
      reason: 'npm install no longer fetches it; `npx install-electron` does',
    };
  }
  return { ok: true, path: binary };
}

/** @returns {{ ok: true } | { ok: false, missing: 'display', reason: string }} */
export function findDisplay(platform = process.platform, env = process.env) {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return { ok: true };
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return { ok: true };
  return { ok: false, missing: 'display', reason: 'DISPLAY and WAYLAND_DISPLAY are unset' };
}

/**
 * Both checks: where the desktop app can start, the binary's path; else which is missing, and a
 * short `reason` meant to be shown in parentheses after `describeMissing(missing)`.
 */
export function canRunDesktop() {
  const binary = findElectronBinary();
  if (!binary.ok) return binary;
  const display = findDisplay();
  return display.ok ? binary : display;
}

/** @param {'binary' | 'display'} missing */
export function describeMissing(missing) {
  return missing === 'binary' ? 'the Electron binary is not installed' : 'Electron cannot show a window here';
}
