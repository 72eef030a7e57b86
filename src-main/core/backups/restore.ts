/**
 * Restoring a backup into a data dir that no process has open (see README.md here for what a
 * restore means in a synced workspace).
 *
 * 1. Take the data dir's lock (db/data-dir-lock.ts): a running core holds it, so a restore under a
 *    live replica is refused with UNAVAILABLE instead of corrupting it.
 * 2. Verify the backup against its manifest (size and SHA-256).
 * 3. Take a safety backup of the current replica into `safetyFolder` (default `<dataDir>/backups`).
 * 4. Unpack the backup into a sibling dir (`pgdata.restore-<id>`) by opening PGlite on it with the
 *    dump, and check it is a Groundwork replica this build can open (its migrations are a prefix
 *    of ours). Nothing of the current replica has changed so far.
 * 5. Swap by renames, recorded first in a journal (`restore-journal.json`, written atomically):
 *    `pgdata` → `pgdata.replaced-<id>`, then `pgdata.restore-<id>` → `pgdata`. A crash between the
 *    two leaves no `pgdata`; `completeInterruptedRestore` (run by openDatabase under the lock, and
 *    by the next restore) reads the journal and finishes the swap, so the replica is either the old
 *    one or the restored one, never missing and never a mix. Without a journal, a staged dir is an
 *    unfinished step 4 and is removed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { ApiError } from '../../contract';
import { lockDataDir } from '../db/data-dir-lock';
import { knownMigrations, pendingMigrations } from '../db/migrate';
import { writeStaged } from '../files/staged-file';
import { verifyBackup, writeBackup, type BackupFile } from './backup-files';

/** The replica inside a data dir (db/open-database.ts opens the same path). */
export const REPLICA_DIR = 'pgdata';
const JOURNAL = 'restore-journal.json';

export interface RestoreOptions {
  /** The core's data dir (the one holding `pgdata` and `groundwork.lock`). */
  dataDir: string;
  /** A backup file (as listed by listBackups). */
  file: string;
  /** Where the safety backup of the current replica goes; `<dataDir>/backups` by default. */
  safetyFolder?: string;
  now?: () => Date;
}

export interface RestoreResult {
  restored: string;
  /** The safety backup of what was replaced; null when the data dir held no replica yet. */
  safetyBackup: BackupFile | null;
}

interface Journal {
  staged: string;
  replaced: string;
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const { dataDir, file } = options;
  const now = options.now ?? (() => new Date());
  const lock = lockDataDir(dataDir);
  try {
    await completeUnlocked(dataDir);
    await verifyBackup(file);
    const current = join(dataDir, REPLICA_DIR);
    const safetyBackup = existsSync(current) ? await backUpReplica(current, options.safetyFolder ?? join(dataDir, 'backups'), now()) : null;

    const id = randomUUID().slice(0, 8);
    const journal: Journal = { staged: `${REPLICA_DIR}.restore-${id}`, replaced: `${REPLICA_DIR}.replaced-${id}` };
    const staged = join(dataDir, journal.staged);
    try {
      await unpack(file, staged);
    } catch (error) {
      await rm(staged, { recursive: true, force: true });
      throw error;
    }
    await writeStaged(join(dataDir, JOURNAL), (journalFile) => journalFile.write(JSON.stringify(journal)));
    await finishSwap(dataDir, journal);
    return { restored: file, safetyBackup };
  } finally {
    lock.release();
  }
}

/**
 * Finishes a restore that a crash interrupted, or clears what an unfinished one left. Call it
 * while holding the data dir's lock, before opening the replica.
 */
export async function completeInterruptedRestore(dataDir: string): Promise<void> {
  await completeUnlocked(dataDir);
}

async function completeUnlocked(dataDir: string): Promise<void> {
  const journal = await readJournal(dataDir);
  if (journal) return finishSwap(dataDir, journal);
  // No journal: any staged dir is from a restore that never reached the swap; replaced dirs are
  // from one that finished the swap but not its clean-up.
  const names = await readdir(dataDir).catch(() => [] as string[]);
  for (const name of names) {
    if (name.startsWith(`${REPLICA_DIR}.restore-`) || name.startsWith(`${REPLICA_DIR}.replaced-`)) {
      await rm(join(dataDir, name), { recursive: true, force: true });
    }
  }
}

/** Each step checks where things are, so running it again after a crash at any point is safe. */
async function finishSwap(dataDir: string, journal: Journal): Promise<void> {
  const current = join(dataDir, REPLICA_DIR);
  const staged = join(dataDir, journal.staged);
  const replaced = join(dataDir, journal.replaced);
  if (existsSync(staged)) {
    if (existsSync(current)) await rename(current, replaced);
    await rename(staged, current);
  }
  await rm(join(dataDir, JOURNAL), { force: true });
  await rm(replaced, { recursive: true, force: true });
}

async function readJournal(dataDir: string): Promise<Journal | null> {
  try {
    const value = JSON.parse(await readFile(join(dataDir, JOURNAL), 'utf8')) as Partial<Journal>;
    const valid = (name: unknown) => typeof name === 'string' && /^pgdata\.(restore|replaced)-[0-9a-f]{8}$/.test(name);
    return valid(value.staged) && valid(value.replaced) ? (value as Journal) : null;
  } catch {
    return null; // absent, or half-written (it is written by rename, so only a foreign file)
  }
}

async function backUpReplica(replica: string, folder: string, createdAt: Date): Promise<BackupFile> {
  const db = await PGlite.create(replica);
  try {
    const migration = await newestMigration(db);
    await db.exec('CHECKPOINT');
    const dump = await db.dumpDataDir('gzip');
    await mkdir(folder, { recursive: true });
    const { path, bytes } = await writeBackup(folder, dump, { createdAt, migration });
    return { path, bytes, createdAt: createdAt.toISOString() };
  } finally {
    await db.close();
  }
}

async function unpack(file: string, staged: string): Promise<void> {
  const dump = new Blob([new Uint8Array(await readFile(file))]);
  const db = await PGlite.create(staged, { loadDataDir: dump });
  try {
    const applied = await db
      .query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')
      .then((r) => r.rows)
      .catch(() => {
        throw new ApiError('VALIDATION', `file: ${file} holds a database that is not a Groundwork replica`, { field: 'file' });
      });
    pendingMigrations(applied, knownMigrations(), file);
    await db.exec('CHECKPOINT');
  } finally {
    await db.close();
  }
}

/** The newest migration applied in `db` (recorded in each backup's manifest). */
export async function newestMigration(db: PGlite): Promise<string | null> {
  const { rows } = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version DESC LIMIT 1');
  return rows[0]?.name ?? null;
}
