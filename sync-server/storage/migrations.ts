/**
 * The relay's schema, as append-only numbered migrations. They live in code rather than .sql
 * files because the relay is bundled into one file (out/main/relay.js) and must find its schema
 * without a folder beside it. Never edit an applied migration: add the next one.
 */
import type { Sql } from './sql';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const relayMigrations: readonly Migration[] = [
  {
    id: 1,
    name: 'initial',
    sql: `
      CREATE TABLE relay_settings (
        key text PRIMARY KEY,
        value text NOT NULL
      );
      CREATE TABLE workspaces (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- Every token the relay issued. A token must be listed here (and not revoked) to connect,
      -- so revocation is one UPDATE that every instance sees.
      CREATE TABLE tokens (
        jti text PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspaces (id),
        role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
        name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz
      );
      -- The update log of each room. seq is global and only orders a room's rows; a compaction
      -- replaces a room's rows up to S by one snapshot row that keeps seq S.
      CREATE TABLE room_updates (
        room text NOT NULL,
        seq bigserial NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (room, seq)
      );
    `,
  },
  {
    id: 2,
    name: 'token_members',
    sql: `
      -- Who uses each token, as the app names them (its member id in the workspace doc), and when
      -- the token last connected or disconnected: Settings → Team sync lists members by these.
      ALTER TABLE tokens ADD COLUMN member_id text;
      ALTER TABLE tokens ADD COLUMN last_seen_at timestamptz;
    `,
  },
];

/**
 * Applies the missing migrations in one transaction and refuses a database that has migrations
 * this relay does not know (written by a newer relay) — running on it could lose data.
 */
export async function migrate(sql: Sql): Promise<void> {
  await sql.transaction(async (tx) => {
    // Several instances may start at once on one Postgres: one migrates, the others wait here
    // (even CREATE TABLE IF NOT EXISTS races without it). The key is arbitrary but fixed.
    await tx.query('SELECT pg_advisory_xact_lock(7347001)');
    await tx.exec(`CREATE TABLE IF NOT EXISTS relay_migrations (
      id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = await tx.query<{ id: number; name: string }>('SELECT id, name FROM relay_migrations ORDER BY id');
    applied.forEach((row, i) => {
      const known = relayMigrations[i];
      if (!known || known.id !== Number(row.id) || known.name !== row.name) {
        throw new Error(
          `relay database has migration ${row.id} (${row.name}) that this relay does not know; it was written by a newer relay`,
        );
      }
    });
    for (const migration of relayMigrations.slice(applied.length)) {
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO relay_migrations (id, name) VALUES ($1, $2)', [migration.id, migration.name]);
    }
  });
}
