/**
 * How the CLI reaches the relay's state for workspace/token/revoke. PGlite allows one process per
 * data dir, so when a relay is serving that data dir the CLI asks it over HTTP (with a short-lived
 * admin token signed by the shared secret) — which also lets a revocation close the token's open
 * connections at once. Otherwise (relay stopped, or Postgres) the CLI opens the storage itself.
 */
import { join } from 'node:path';
import { RelayAdmin } from '../auth/relay-admin';
import { dataDirSecret, secretFromText } from '../auth/secret';
import { signAdminToken } from '../auth/tokens';
import { PUBLIC_URL_SETTING } from '../relay/relay-server';
import { lockDataDir, runningRelay } from '../storage/data-dir-lock';
import { openPgliteSql } from '../storage/pglite-sql';
import { openPostgresSql } from '../storage/postgres-sql';
import { RelayStore, type Role } from '../storage/relay-store';

export interface StorageArgs {
  dataDir?: string;
  databaseUrl?: string;
  secret?: string;
  publicUrl?: string;
}

export interface IssuedOutput {
  invite: string;
  token: string;
  jti: string;
}

export interface AdminAccess {
  createWorkspace(input: { name: string; id?: string }): Promise<IssuedOutput & { workspace: { id: string; name: string } }>;
  issueToken(input: { workspace: string; role: Role; name?: string; expires?: string }): Promise<IssuedOutput>;
  revokeToken(jti: string): Promise<void>;
  close(): Promise<void>;
}

/** An error the CLI reports as a usage error (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

export async function openAdminAccess(args: StorageArgs): Promise<AdminAccess> {
  if (!args.databaseUrl && !args.dataDir) throw new UsageError('no storage given: pass --data-dir DIR or --database-url postgres://… (or set DATABASE_URL)');
  const secret = args.secret !== undefined ? secretFromText(args.secret, 'RELAY_SECRET') : args.dataDir ? dataDirSecret(args.dataDir) : null;
  if (!secret) throw new UsageError('a relay on Postgres needs RELAY_SECRET (or --data-dir holding its secret) to sign tokens');

  const running = !args.databaseUrl && args.dataDir ? runningRelay(args.dataDir) : null;
  if (running?.url) return httpAccess(running.url, secret);
  if (running) throw new Error(`relay process ${running.pid} is starting on ${args.dataDir}; try again in a moment`);

  const lock = args.databaseUrl ? null : lockDataDir(args.dataDir!);
  let store: RelayStore;
  try {
    store = await RelayStore.open(args.databaseUrl ? await openPostgresSql(args.databaseUrl, { poolSize: 2 }) : await openPgliteSql(join(args.dataDir!, 'pglite')));
  } catch (error) {
    lock?.release();
    throw error;
  }
  const publicUrl = args.publicUrl ?? (await store.getSetting(PUBLIC_URL_SETTING));
  const admin = new RelayAdmin(store, secret, () => {
    if (!publicUrl) throw new UsageError('no relay URL known for the invite: start the relay once, or pass --public-url ws://host:port');
    return publicUrl;
  });
  return {
    async createWorkspace(input) {
      const { workspace, owner } = await admin.createWorkspace(input);
      return { workspace, invite: owner.invite, token: owner.token, jti: owner.jti };
    },
    async issueToken({ expires, name, ...rest }) {
      const issued = await admin.issueToken({ ...rest, name: name ?? null, expiresIn: expires ?? null });
      return { invite: issued.invite, token: issued.token, jti: issued.jti };
    },
    revokeToken: (jti) => admin.revokeToken(jti),
    async close() {
      await store.close();
      lock?.release();
    },
  };
}

function httpAccess(baseUrl: string, secret: Uint8Array): AdminAccess {
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await signAdminToken(secret)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json().catch(() => ({}))) as T & { error?: string };
    if (!response.ok) throw new Error(json.error ?? `relay answered ${response.status}`);
    return json;
  };
  return {
    createWorkspace: (input) => post('/v1/admin/workspaces', input),
    issueToken: (input) => post('/v1/admin/tokens', input),
    revokeToken: async (jti) => void (await post('/v1/admin/revoke', { jti })),
    close: async () => {},
  };
}
