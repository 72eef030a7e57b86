import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, defaultSecretKeyFile } from './default-data-dir';

describe('defaultDataDir', () => {
  it('follows each platform’s convention for per-user app data', () => {
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'C:\\Users\\a')).toBe(
      join('C:\\Users\\a\\AppData\\Roaming', 'Groundwork', 'data'),
    );
    expect(defaultDataDir('darwin', {}, '/Users/a')).toBe(join('/Users/a', 'Library', 'Application Support', 'Groundwork', 'data'));
    expect(defaultDataDir('linux', {}, '/home/a')).toBe(join('/home/a', '.local', 'share', 'Groundwork', 'data'));
    expect(defaultDataDir('linux', { XDG_DATA_HOME: '/xdg' }, '/home/a')).toBe(join('/xdg', 'Groundwork', 'data'));
    // The XDG spec says a relative value is invalid and must be ignored.
    expect(defaultDataDir('linux', { XDG_DATA_HOME: 'rel' }, '/home/a')).toBe(join('/home/a', '.local', 'share', 'Groundwork', 'data'));
  });
});

describe('defaultSecretKeyFile', () => {
  it('is a per-user config file outside the data dir', () => {
    expect(defaultSecretKeyFile('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'C:\\Users\\a')).toBe(
      join('C:\\Users\\a\\AppData\\Roaming', 'Groundwork', 'secret.key'),
    );
    expect(defaultSecretKeyFile('darwin', {}, '/Users/a')).toBe(join('/Users/a', 'Library', 'Application Support', 'Groundwork', 'secret.key'));
    expect(defaultSecretKeyFile('linux', {}, '/home/a')).toBe(join('/home/a', '.config', 'groundwork', 'secret.key'));
    expect(defaultSecretKeyFile('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/a')).toBe(join('/cfg', 'groundwork', 'secret.key'));
    expect(defaultSecretKeyFile('linux', { XDG_CONFIG_HOME: 'rel' }, '/home/a')).toBe(join('/home/a', '.config', 'groundwork', 'secret.key'));
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      const env = { APPDATA: '/appdata' };
      expect(defaultSecretKeyFile(platform, env, '/home/a').startsWith(defaultDataDir(platform, env, '/home/a'))).toBe(false);
    }
  });
});
