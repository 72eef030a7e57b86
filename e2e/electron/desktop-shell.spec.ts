/**
 * The desktop shell: Electron main, preload and the core's utilityProcess, launched for real
 * against a temporary data dir. Where no Electron binary (or no display) exists this is skipped,
 * and says so: the web-host project covers the app itself, not the desktop shell.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { canRunDesktop, describeMissing } from '../../scripts/electron-binary.mjs';

/** The page's globals, typed for what these checks touch (this project's tsconfig has no DOM). */
type PageGlobals = {
  groundwork?: unknown;
  require?: unknown;
  process?: unknown;
  location: { href: string };
  open(url: string): unknown;
  fetch(url: string): Promise<{ headers: { get(name: string): string | null } }>;
};

const root = join(import.meta.dirname, '..', '..');
const desktop = canRunDesktop();
const skipReason = desktop.ok
  ? ''
  : desktop.missing === 'binary'
    ? `Electron binary not installed here (${desktop.reason}): the desktop shell was not tested; run npm install on a machine that can download Electron`
    : `${describeMissing(desktop.missing)} (${desktop.reason}): the desktop shell was not tested; run the tests in a desktop session or under xvfb-run`;

test.describe('desktop shell', () => {
  let app: ElectronApplication;
  let win: Page;
  let dataDir: string;

  test.beforeAll(async () => {
    if (!desktop.ok) return console.warn(`[electron] skipped: ${skipReason}`);
    if (!existsSync(join(root, 'out', 'main', 'main.js'))) throw new Error('The app is not built: run `npm run build` first.');
    dataDir = mkdtempSync(join(tmpdir(), 'gw-electron-'));
    const env = { ...process.env } as Record<string, string>;
    delete env.ELECTRON_RUN_AS_NODE;
    // Own profile too, so the run neither meets a running Groundwork's single-instance lock nor
    // writes window state into the user's real profile.
    const args = [root, '--data-dir', join(dataDir, 'data'), '--user-data-dir', join(dataDir, 'profile')];
    app = await electron.launch({ executablePath: desktop.path, args, env, cwd: root });
    win = await app.firstWindow();
  });

  test.afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test.beforeEach(() => test.skip(!desktop.ok, skipReason));

  test('shows the app from its own origin, connected to the core', async () => {
    await expect(win).toHaveTitle(/Groundwork/);
    expect(win.url()).toMatch(/^groundwork:\/\/app\//);
    expect(await win.evaluate(() => (globalThis as unknown as PageGlobals).groundwork)).toEqual({
      platform: process.platform,
      isDesktop: true,
    });
    // The renderer rendered something (it shows an error state if it cannot reach the core).
    await expect(win.locator('#root')).not.toBeEmpty();
  });

  test('runs the page locked down', async () => {
    // nodeIntegration off and contextIsolation on: no Node in the page, and of the preload's
    // world only the two plain values of the bridge are visible.
    expect(await win.evaluate(() => typeof (globalThis as unknown as PageGlobals).require)).toBe('undefined');
    expect(await win.evaluate(() => typeof (globalThis as unknown as PageGlobals).process)).toBe('undefined');
    expect(await win.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).groundwork ?? {}).sort())).toEqual([
      'isDesktop',
      'platform',
    ]);
    // sandbox: Electron reports it per process on macOS and Windows (undefined elsewhere).
    const renderers = await app.evaluate(({ app: a }) => a.getAppMetrics().filter((m) => m.type === 'Tab').map((m) => m.sandboxed));
    for (const sandboxed of renderers) if (sandboxed !== undefined) expect(sandboxed).toBe(true);
    const csp = await win.evaluate(async () => {
      const g = globalThis as unknown as PageGlobals;
      return (await g.fetch(g.location.href)).headers.get('content-security-policy');
    });
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  test('opens no windows and does not navigate away', async () => {
    const before = win.url();
    expect(await win.evaluate(() => (globalThis as unknown as PageGlobals).open('about:blank') === null)).toBe(true);
    await win.evaluate(() => {
      (globalThis as unknown as PageGlobals).location.href = 'groundwork://app/elsewhere.html';
    });
    // will-navigate is cancelled synchronously; give a late navigation a bounded chance to show.
    await win.waitForTimeout(300);
    expect(win.url()).toBe(before);
    expect(app.windows()).toHaveLength(1);
  });
});
