/**
 * Where Groundwork keeps its replica when no `--data-dir` is given. Both composition roots use
 * this, so the desktop app and the web host (its fallback where Electron cannot run) open the
 * same data. Plain Node on purpose: the web host must not need Electron's `app.getPath`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const appDirName = 'Groundwork';

export function defaultAppDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), appDirName);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', appDirName);
  // XDG: data (not config) is the right home for a database; an unset or relative value is ignored.
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'share'), appDirName);
}

export function defaultDataDir(platform?: NodeJS.Platform, env?: NodeJS.ProcessEnv, home?: string): string {
  return join(defaultAppDir(platform, env, home), 'data');
}
