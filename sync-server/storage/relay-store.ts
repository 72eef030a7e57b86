/**
 * Everything the relay keeps, as named operations over the `Sql` seam: workspaces, issued tokens
 * (and their revocation), room update logs. One implementation for both drivers.
 */
import { fromBase64, toBase64 } from '../../src-main/sync-protocol/bytes-as-text';
import type { Role } from '../../src-main/sync-protocol/roles';
import { migrate } from './migrations';
import type { Sql } from './sql';

export type { Role };

export interface TokenRecord {
  jti: string;
  workspace: string;
  role: Role;
  name: string | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface WorkspaceToken {
  jti: string;
  role: Role;
  name: string | null;
  memberId: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastSeenAt: Date | null;
}

export interface RoomRow {
  seq: number;
  data: Uint8Array;
}

/** The channel on which Postgres instances announce appended updates (and presence) to each other. */
export const ROOM_UPDATES_CHANNEL = 'groundwork_relay_updates';

/** What one instance tells the others about a room, as the NOTIFY payload (JSON) carries it. */
export type Announcement =
  | { kind: 'update'; room: string; instance: string; seq: number }
  | { kind: 'awareness'; room: string; instance: string; update: Uint8Array }
  | { kind: 'awareness-query'; room: string; instance: string };

/** NOTIFY payloads must stay under 8,000 bytes; presence larger than this is not shared. */
const MAX_NOTIFY_PAYLOAD = 7_500;

/** The announcement in a NOTIFY payload, or null for anything else on the channel. */
export function parseAnnouncement(payload: string): Announcement | null {
  let note: Record<string, unknown>;
  try {
    note = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return null;
  }
  const { kind = 'update', room, instance } = note;
  if (typeof room !== 'string' || typeof instance !== 'string') return null;
  if (kind === 'update' && typeof note.seq === 'number') return { kind, room, instance, seq: note.seq };
  if (kind === 'awareness' && typeof note.update === 'string') return { kind, room, instance, update: fromBase64(note.update) };
  if (kind === 'awareness-query') return { kind, room, instance };
  return null;
}

export class RelayStore {
  constructor(readonly sql: Sql) {}

  static async open(sql: Sql): Promise<RelayStore> {
    await migrate(sql);
    return new RelayStore(sql);
  }

  async ping(): Promise<void> {
    await this.sql.query('SELECT 1');
  }

  async getSetting(key: string): Promise<string | null> {
    const rows = await this.sql.query<{ value: string }>('SELECT value FROM relay_settings WHERE key = $1', [key]);
    return rows[0]?.value ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.sql.query(
      'INSERT INTO relay_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
      [key, value],
    );
  }

  /** Returns false when a workspace with this id already exists. */
  async createWorkspace(id: string, name: string): Promise<boolean> {
    const rows = await this.sql.query('INSERT INTO workspaces (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id', [id, name]);
    return rows.length === 1;
  }

  async workspaceName(id: string): Promise<string | null> {
    const rows = await this.sql.query<{ name: string }>('SELECT name FROM workspaces WHERE id = $1', [id]);
    return rows[0]?.name ?? null;
  }

  async recordToken(token: Omit<TokenRecord, 'revokedAt'>): Promise<void> {
    await this.sql.query('INSERT INTO tokens (jti, workspace_id, role, name, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      token.jti,
      token.workspace,
      token.role,
      token.name,
      token.expiresAt,
    ]);
  }

  async token(jti: string): Promise<TokenRecord | null> {
    const rows = await this.sql.query<{
      jti: string;
      workspace_id: string;
      role: Role;
      name: string | null;
      expires_at: Date | null;
      revoked_at: Date | null;
    }>('SELECT jti, workspace_id, role, name, expires_at, revoked_at FROM tokens WHERE jti = $1', [jti]);
    const row = rows[0];
    return row
      ? { jti: row.jti, workspace: row.workspace_id, role: row.role, name: row.name, expiresAt: row.expires_at, revokedAt: row.revoked_at }
      : null;
  }

  /** Returns false when no token has this id. Revoking twice keeps the first time. */
  async revokeToken(jti: string): Promise<boolean> {
    const rows = await this.sql.query('UPDATE tokens SET revoked_at = coalesce(revoked_at, now()) WHERE jti = $1 RETURNING jti', [jti]);
    return rows.length === 1;
  }

  /** Every token of a workspace, oldest first, with who uses it and when it was last connected. */
  async workspaceTokens(workspace: string): Promise<WorkspaceToken[]> {
    const rows = await this.sql.query<{
      jti: string;
      role: Role;
      name: string | null;
      member_id: string | null;
      created_at: Date;
      expires_at: Date | null;
      revoked_at: Date | null;
      last_seen_at: Date | null;
    }>(
      'SELECT jti, role, name, member_id, created_at, expires_at, revoked_at, last_seen_at FROM tokens WHERE workspace_id = $1 ORDER BY created_at, jti',
      [workspace],
    );
    return rows.map((r) => ({
      jti: r.jti,
      role: r.role,
      name: r.name,
      memberId: r.member_id,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      revokedAt: r.revoked_at,
      lastSeenAt: r.last_seen_at,
    }));
  }

  /** The app says which member of the workspace uses this token. */
  async setTokenMember(jti: string, memberId: string): Promise<void> {
    await this.sql.query('UPDATE tokens SET member_id = $2 WHERE jti = $1', [jti, memberId]);
  }

  /** A connection of this token opened or closed: "last seen" for the members list. */
  async touchToken(jti: string): Promise<void> {
    await this.sql.query('UPDATE tokens SET last_seen_at = now() WHERE jti = $1', [jti]);
  }

  /** Which of these token ids are revoked (the relay asks about the ones it has connected). */
  async revokedAmong(jtis: readonly string[]): Promise<string[]> {
    if (jtis.length === 0) return [];
    const rows = await this.sql.query<{ jti: string }>('SELECT jti FROM tokens WHERE jti = ANY($1) AND revoked_at IS NOT NULL', [jtis]);
    return rows.map((r) => r.jti);
  }

  async roomLog(room: string): Promise<RoomRow[]> {
    const rows = await this.sql.query<{ seq: number; data: string }>(
      "SELECT seq, encode(data, 'base64') AS data FROM room_updates WHERE room = $1 ORDER BY seq",
      [room],
    );
    return rows.map((r) => ({ seq: Number(r.seq), data: fromBase64(r.data) }));
  }

  /**
   * Appends one update. With `announce`, a NOTIFY in the same transaction
   * tells the other instances after the commit (Postgres delivers notifications on commit only).
   */
  async append(room: string, data: Uint8Array, announce?: { instance: string }): Promise<void> {
    const insert = "INSERT INTO room_updates (room, data) VALUES ($1, decode($2, 'base64'))";
    // On the hot path of every broadcast: without RETURNING, PGlite's insert costs a quarter less.
    if (!announce) return void (await this.sql.query(insert, [room, toBase64(data)]));
    await this.sql.transaction(async (tx) => {
      const seq = Number((await tx.query<{ seq: number }>(`${insert} RETURNING seq`, [room, toBase64(data)]))[0]!.seq);
      await tx.query('SELECT pg_notify($1, $2)', [ROOM_UPDATES_CHANNEL, JSON.stringify({ kind: 'update', room, seq, instance: announce.instance })]);
    });
  }

  /**
   * Tells the other instances (Postgres only) about presence in a room: an awareness update, or a
   * request that they announce the presence of their clients. False when too big to announce.
   */
  async announcePresence(note: Extract<Announcement, { kind: 'awareness' | 'awareness-query' }>): Promise<boolean> {
    const payload = JSON.stringify(note.kind === 'awareness' ? { ...note, update: toBase64(note.update) } : note);
    if (payload.length > MAX_NOTIFY_PAYLOAD) return false;
    await this.sql.query('SELECT pg_notify($1, $2)', [ROOM_UPDATES_CHANNEL, payload]);
    return true;
  }

  /** One row by seq, or null when a compaction has since folded it into a snapshot. */
  async roomUpdate(room: string, seq: number): Promise<Uint8Array | null> {
    const rows = await this.sql.query<{ data: string }>("SELECT encode(data, 'base64') AS data FROM room_updates WHERE room = $1 AND seq = $2", [room, seq]);
    return rows[0] ? fromBase64(rows[0].data) : null;
  }

  /**
   * Replaces a room's rows by one snapshot row with the highest seq, merged by `merge`. Rows
   * appended meanwhile (by this or another instance) have higher seqs and are left alone; rows
   * locked by a concurrent compaction make this one wait, then find a single row and stop.
   */
  async compact(room: string, merge: (updates: Uint8Array[]) => Uint8Array): Promise<{ merged: number }> {
    return this.sql.transaction(async (tx) => {
      const rows = await tx.query<{ seq: number; data: string }>(
        "SELECT seq, encode(data, 'base64') AS data FROM room_updates WHERE room = $1 ORDER BY seq FOR UPDATE",
        [room],
      );
      if (rows.length < 2) return { merged: 0 };
      const last = Number(rows.at(-1)!.seq);
      const snapshot = merge(rows.map((r) => fromBase64(r.data)));
      await tx.query('DELETE FROM room_updates WHERE room = $1 AND seq <= $2', [room, last]);
      await tx.query("INSERT INTO room_updates (room, seq, data) VALUES ($1, $2, decode($3, 'base64'))", [room, last, toBase64(snapshot)]);
      return { merged: rows.length };
    });
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}
