import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './default-data-dir';

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
