/**
 * Which Chromium-family browser a site audit drives. Order: `CHROMIUM_PATH` (the person said so),
 * then an installed Chrome / Chromium / Edge where each OS puts it, then a browser Playwright
 * downloaded itself. Groundwork never downloads a browser on its own: none found is an error that
 * says how to install one.
 *
 * The environment, platform and file check are parameters (process.env and friends are only the
 * defaults, here at the edge), so the core reads no global state and tests can ask "what would
 * Windows pick?" on any machine.
 */
import { existsSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import { chromium } from 'playwright';

export interface BrowserSearch {
  env?: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
  exists?: (path: string) => boolean;
  /** Where Playwright's own Chromium would be; undefined when Playwright has none for this OS. */
  playwrightPath?: () => string | undefined;
}

export class BrowserNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserNotFoundError';
  }
}

/** Windows environment names are case-insensitive (`ProgramFiles` vs `PROGRAMFILES`); a plain object's keys are not. */
function envValue(env: Readonly<Record<string, string | undefined>>, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[name] || undefined;
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return (key && env[key]) || undefined;
}

/** Installed browsers at their usual places, most likely first. */
export function installedBrowserPaths(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>): string[] {
  if (platform === 'win32') {
    const roots = ['LOCALAPPDATA', 'ProgramFiles', 'ProgramFiles(x86)']
      .map((name) => envValue(env, name, platform))
      .filter((root): root is string => Boolean(root));
    const apps = [
      ['Google', 'Chrome', 'Application', 'chrome.exe'],
      ['Chromium', 'Application', 'chrome.exe'],
      ['Microsoft', 'Edge', 'Application', 'msedge.exe'],
    ];
    return apps.flatMap((parts) => roots.map((root) => win32.join(root, ...parts)));
  }
  if (platform === 'darwin') {
    const bundles = [
      ['Google Chrome.app', 'Google Chrome'],
      ['Chromium.app', 'Chromium'],
      ['Microsoft Edge.app', 'Microsoft Edge'],
    ];
    const home = envValue(env, 'HOME', platform);
    const folders = ['/Applications', ...(home ? [posix.join(home, 'Applications')] : [])];
    return bundles.flatMap(([app, binary]) => folders.map((folder) => posix.join(folder, app!, 'Contents', 'MacOS', binary!)));
  }
  // Linux and the BSDs: distribution packages, then vendor packages, then snap.
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/usr/bin/microsoft-edge',
    '/usr/bin/microsoft-edge-stable',
    '/snap/bin/chromium',
  ];
}

function playwrightChromium(): string | undefined {
  try {
    return chromium.executablePath() || undefined;
  } catch {
    return undefined; // Playwright has no build for this OS.
  }
}

function installHint(platform: NodeJS.Platform): string {
  if (platform === 'win32' || platform === 'darwin') return 'Install Google Chrome or Microsoft Edge';
  return 'Install one (for example `sudo apt-get install chromium`, or Google Chrome)';
}

/** The browser's executable path, or a BrowserNotFoundError that says how to get one. */
export function findBrowser(search: BrowserSearch = {}): string {
  const env = search.env ?? process.env;
  const platform = search.platform ?? process.platform;
  const exists = search.exists ?? existsSync;
  const chosen = envValue(env, 'CHROMIUM_PATH', platform);
  if (chosen) {
    // A path the person set but mistyped must not quietly fall back to some other browser.
    if (exists(chosen)) return chosen;
    throw new BrowserNotFoundError(`CHROMIUM_PATH is ${chosen}, but there is no file there. Point it at a Chrome, Chromium or Edge executable, or unset it.`);
  }
  const installed = installedBrowserPaths(platform, env).find((path) => exists(path));
  if (installed) return installed;
  const ownBrowser = (search.playwrightPath ?? playwrightChromium)();
  if (ownBrowser && exists(ownBrowser)) return ownBrowser;
  throw new BrowserNotFoundError(
    `Site audits need Chrome, Chromium or Edge, and none was found. ${installHint(platform)}, or set CHROMIUM_PATH to a browser's executable.`,
  );
}

/**
 * Chromium's sandbox refuses to start as root (containers, CI); there the audit runs without it.
 * Audited pages are the person's own sites, and the browser gets no access to Groundwork's data.
 */
export function launchArgs(platform: NodeJS.Platform = process.platform, uid: number | undefined = process.getuid?.()): string[] {
  return platform === 'linux' && uid === 0 ? ['--no-sandbox'] : [];
}
