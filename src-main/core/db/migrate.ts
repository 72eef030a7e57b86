/**
 * Numbered, append-only SQL migrations (migrations/NNNN_name.sql), recorded in schema_migrations.
 * A database whose applied migrations are not a prefix of the ones this build knows was written
 * by a newer or a different build: we refuse to touch it rather than guess.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { ApiError } from '../../contract';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// Next to this file in the source tree and next to the bundle in a build (electron.vite.config copies them).
const migrationsDir = new URL('./migrations/', import.meta.url);

export function knownMigrations(): Migration[] {
  return readdirSync(fileURLToPath(migrationsDir))
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(0, -4),
      sql: readFileSync(new URL(file, migrationsDir), 'utf8'),
    }));
}

export async function appliedMigrations(db: PGlite): Promise<{ version: number; name: string }[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const { rows } = await db.query<{ version: number; name: string }>(
    'SELECT version, name FROM schema_migrations ORDER BY version',
  );
  return rows;
}

/** The migrations still to apply, or an error if the database is not a prefix of `known`. */
export function pendingMigrations(
  applied: { version: number; name: string }[],
  known: Migration[],
  where: string,
): Migration[] {
  applied.forEach((row, i) => {
    const expected = known[i];
    if (!expected || expected.version !== row.version || expected.name !== row.name) {
      throw new ApiError(
        'UNAVAILABLE',
        `The database in ${where} has migration ${row.name}, which this version of Groundwork does not know ` +
          `(expected ${expected?.name ?? 'none'}). It was written by a newer or a different build; open it with that build.`,
        { where, unknownMigration: row.name },
      );
    }
  });
  return known.slice(applied.length);
}

/** Applies `pending` in one transaction: all of them or none. */
export async function applyMigrations(db: PGlite, pending: Migration[]): Promise<void> {
  if (pending.length === 0) return;
  await db.transaction(async (tx) => {
    for (const migration of pending) {
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    }
  });
}
