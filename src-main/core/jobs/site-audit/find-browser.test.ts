import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BrowserNotFoundError, findBrowser, launchArgs } from './find-browser';

/** A file system holding exactly `present`. */
const only = (...present: string[]) => (path: string) => present.includes(path);
const noPlaywright = () => undefined;

describe('findBrowser', () => {
  it('takes CHROMIUM_PATH first, and refuses one that points nowhere', () => {
    const exists = only('/opt/my/chrome', '/usr/bin/chromium');
    expect(findBrowser({ env: { CHROMIUM_PATH: '/opt/my/chrome' }, platform: 'linux', exists })).toBe('/opt/my/chrome');
    expect(() => findBrowser({ env: { CHROMIUM_PATH: '/opt/typo/chrome' }, platform: 'linux', exists })).toThrow(
      'CHROMIUM_PATH is /opt/typo/chrome, but there is no file there',
    );
  });

  it('finds installed browsers where each OS puts them', () => {
    expect(findBrowser({ env: {}, platform: 'linux', exists: only('/usr/bin/google-chrome-stable'), playwrightPath: noPlaywright })).toBe(
      '/usr/bin/google-chrome-stable',
    );
    // Chromium before Chrome on Linux (the distribution's own package), whatever else is there.
    expect(findBrowser({ env: {}, platform: 'linux', exists: only('/usr/bin/google-chrome', '/usr/bin/chromium') })).toBe('/usr/bin/chromium');
    expect(
      findBrowser({
        env: { HOME: '/Users/ana' },
        platform: 'darwin',
        exists: only('/Users/ana/Applications/Chromium.app/Contents/MacOS/Chromium'),
        playwrightPath: noPlaywright,
      }),
    ).toBe('/Users/ana/Applications/Chromium.app/Contents/MacOS/Chromium');
    expect(findBrowser({ env: {}, platform: 'darwin', exists: only('/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge') })).toBe(
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    );
    // Windows: environment names in any case, backslashed paths; Chrome before Edge.
    const windowsEnv = { PROGRAMFILES: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)', LocalAppData: 'C:\\Users\\ana\\AppData\\Local' };
    const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
    const chrome = 'C:\\Users\\ana\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe';
    expect(findBrowser({ env: windowsEnv, platform: 'win32', exists: only(edge), playwrightPath: noPlaywright })).toBe(edge);
    expect(findBrowser({ env: windowsEnv, platform: 'win32', exists: only(edge, chrome) })).toBe(chrome);
  });

  it("falls back to Playwright's own browser, then says how to install one", () => {
    const own = '/root/.cache/ms-playwright/chromium-1/chrome-linux/chrome';
    expect(findBrowser({ env: {}, platform: 'linux', exists: only(own), playwrightPath: () => own })).toBe(own);
    // Playwright knows where its browser would be, but it was never downloaded.
    const none = () => findBrowser({ env: {}, platform: 'linux', exists: only(), playwrightPath: () => own });
    expect(none).toThrow(BrowserNotFoundError);
    expect(none).toThrow('apt-get install chromium');
    expect(none).toThrow('CHROMIUM_PATH');
    expect(() => findBrowser({ env: {}, platform: 'win32', exists: only(), playwrightPath: noPlaywright })).toThrow('Install Google Chrome or Microsoft Edge');
  });

  it('finds the browser this machine has', () => {
    // The machine's own environment and disk: the system Chromium (or CHROMIUM_PATH where set).
    const found = findBrowser();
    expect(existsSync(found)).toBe(true);
  });

  it('turns the sandbox off only for root on Linux', () => {
    expect(launchArgs('linux', 0)).toEqual(['--no-sandbox']);
    expect(launchArgs('linux', 1000)).toEqual([]);
    expect(launchArgs('darwin', 0)).toEqual([]);
    expect(launchArgs('win32', undefined)).toEqual([]);
  });
});
