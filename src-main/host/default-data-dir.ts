/**
 * The per-user places Groundwork uses when not told otherwise: the replica (both composition
 * roots use this, so the desktop app and the web host — its fallback where Electron cannot run —
 * open the same data) and the web host's secret key. The one module that knows OS paths. Plain
 * Node on purpose: the web host must not need Electron's `app.getPath`.
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

/**
 * The web host's key for sealing relay tokens (the desktop app uses the OS keychain instead).
 * Deliberately outside the data dir: a copied or backed-up data dir must not carry the key to
 * the tokens it holds. Linux: config (not data) under XDG, lower-case like other config dirs.
 */
export function defaultSecretKeyFile(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32' || platform === 'darwin') return join(defaultAppDir(platform, env, home), 'secret.key');
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.config'), 'groundwork', 'secret.key');
}
