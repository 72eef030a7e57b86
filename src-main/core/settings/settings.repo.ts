/** Local-only settings of this machine (never synced): the profile, the current workspace, … */
import type { PGlite } from '@electric-sql/pglite';

export interface Settings {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

export function settingsRepo(db: PGlite): Settings {
  return {
    async get<T>(key: string) {
      const { rows } = await db.query<{ value: T }>('SELECT value FROM settings WHERE key = $1', [key]);
      return rows[0]?.value;
    },
    async set(key, value) {
      await db.query(
        'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
        [key, JSON.stringify(value)],
      );
    },
  };
}
