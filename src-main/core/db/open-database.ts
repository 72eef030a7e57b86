/**
 * Opens the local replica: lock the data dir, open PGlite, check and apply migrations (after a
 * backup when an existing database is about to change).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { appliedMigrations, applyMigrations, knownMigrations, pendingMigrations } from './migrate';
import type { Logger } from '../ports';
import { completeInterruptedRestore } from '../backups/restore';

export interface Database {
  db: PGlite;
  close(): Promise<void>;
}

export async function openDatabase(dataDir: string | null, logger: Logger): Promise<Database> {
  const lock: DataDirLock | null = dataDir ? lockDataDir(dataDir) : null;
  let db: PGlite | undefined;
  try {
    // A restore killed between its two renames is finished before the replica is opened.
    if (dataDir) await completeInterruptedRestore(dataDir);
    db = dataDir ? await PGlite.create(join(dataDir, 'pgdata')) : await openInMemory();
    const applied = await appliedMigrations(db);
    const pending = pendingMigrations(applied, knownMigrations(), dataDir ?? 'memory');
    if (pending.length > 0 && applied.length > 0 && dataDir) await backup(db, dataDir, applied.length, logger);
    await applyMigrations(db, pending);
    if (pending.length > 0) logger.info({ applied: pending.map((m) => m.name) }, 'migrated the local replica');
  } catch (error) {
    await db?.close().catch(() => {});
    lock?.release();
    throw error;
  }
  const opened = db;
  return {
    db: opened,
    async close() {
      try {
        await opened.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/**
 * In-memory replicas (tests, benches) start from a migrated template made once per process:
 * loading it takes under a second, where initdb takes about three.
 */
let template: Promise<Blob> | null = null;

async function openInMemory(): Promise<PGlite> {
  template ??= (async () => {
    const fresh = await PGlite.create();
    await applyMigrations(fresh, pendingMigrations(await appliedMigrations(fresh), knownMigrations(), 'memory'));
    const dump = await fresh.dumpDataDir('gzip');
    await fresh.close();
    return dump;
  })();
  return PGlite.create({ loadDataDir: await template });
}

async function backup(db: PGlite, dataDir: string, version: number, logger: Logger): Promise<void> {
  const dir = join(dataDir, 'backups');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `before-migration-${String(version + 1).padStart(4, '0')}-${Date.now()}.tar.gz`);
  const dump = await db.dumpDataDir('gzip');
  writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
  logger.info({ file }, 'backed up the local replica before migrating');
}
