/**
 * Backup files in a folder: `groundwork-backup-<UTC time>-<random>.tar.gz` (PGlite's gzipped
 * `dumpDataDir`) and beside it `<that name>.json`, its manifest (size and SHA-256).
 *
 * A backup counts only when both are complete. The dump is staged under a hidden `.partial` name,
 * fsynced and renamed; only then is the manifest written the same way. A process killed at any
 * point leaves either a `.partial` file or a dump without a manifest, and `listBackups` shows
 * neither. The manifest's size is checked on every listing (cheap: a truncated or replaced file is
 * dropped) and its checksum before a restore (`verifyBackup`: the whole file is read).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../contract';
import { PARTIAL_SUFFIX, stageFile, writeStaged } from '../files/staged-file';

export interface BackupFile {
  path: string;
  /** ISO time the dump was taken. */
  createdAt: string;
  bytes: number;
}

const manifestSchema = z.object({
  format: z.literal('groundwork-backup'),
  version: z.literal(1),
  file: z.string(),
  createdAt: z.iso.datetime(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The newest migration applied in the dumped replica (what build can open it). */
  migration: z.string().nullable(),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

const backupName = /^groundwork-backup-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[0-9a-f]{6}\.tar\.gz$/;
export const manifestPath = (path: string) => `${path}.json`;
/** Leftovers (a killed writer's `.partial`, a dump whose manifest never came) younger than this may still be in progress. */
const LEFTOVER_GRACE_MS = 60 * 60 * 1000;
/** Bytes handed to the disk per write: progress is reported and the event loop served between them. */
const CHUNK_BYTES = 1024 * 1024;

export interface WriteBackupOptions {
  createdAt: Date;
  migration: string | null;
  signal?: AbortSignal;
  /** After each chunk on disk: bytes written so far of `total`. */
  onProgress?(written: number, total: number): void;
}

/** Writes `dump` as a backup into `folder` (which must exist); resolves once both files are durable. */
export async function writeBackup(folder: string, dump: Blob, options: WriteBackupOptions): Promise<BackupFile & { sha256: string }> {
  const stamp = options.createdAt.toISOString().replace(/[:.]/g, '-');
  const random = randomBytes(3).toString('hex'); // two backups in one millisecond get two names
  const path = join(folder, `groundwork-backup-${stamp}-${random}.tar.gz`);
  const hash = createHash('sha256');
  const { bytes } = await writeStaged(path, async (file) => {
    for (let offset = 0; offset < dump.size; offset += CHUNK_BYTES) {
      options.signal?.throwIfAborted();
      const chunk = new Uint8Array(await dump.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
      hash.update(chunk);
      await file.write(chunk);
      options.onProgress?.(Math.min(offset + CHUNK_BYTES, dump.size), dump.size);
    }
  });
  const manifest: BackupManifest = {
    format: 'groundwork-backup',
    version: 1,
    file: path.slice(folder.length + 1),
    createdAt: options.createdAt.toISOString(),
    bytes,
    sha256: hash.digest('hex'),
    migration: options.migration,
  };
  const sidecar = await stageFile(manifestPath(path));
  try {
    await sidecar.write(JSON.stringify(manifest, null, 2));
    await sidecar.commit();
  } catch (error) {
    await sidecar.discard();
    await rm(path, { force: true });
    throw error;
  }
  return { path, createdAt: manifest.createdAt, bytes, sha256: manifest.sha256 };
}

/** Complete backups in `folder`, newest first; an absent folder has none. */
export async function listBackups(folder: string): Promise<BackupFile[]> {
  const found: BackupFile[] = [];
  for (const name of await namesIn(folder)) {
    if (!backupName.test(name)) continue;
    const path = join(folder, name);
    const manifest = await readManifest(path);
    if (!manifest || manifest.file !== name) continue;
    const size = await stat(path).then((s) => s.size, () => -1);
    if (size !== manifest.bytes) continue;
    found.push({ path, createdAt: manifest.createdAt, bytes: manifest.bytes });
  }
  return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.path.localeCompare(a.path));
}

/**
 * Keeps the newest `keep` backups and removes the rest (manifest first: a crash in between leaves
 * an unlisted dump, never a listed backup without its file), plus leftovers of killed writers.
 */
export async function pruneBackups(folder: string, keep: number, now = new Date()): Promise<string[]> {
  const removed: string[] = [];
  for (const backup of (await listBackups(folder)).slice(keep)) {
    await rm(manifestPath(backup.path), { force: true });
    await rm(backup.path, { force: true });
    removed.push(backup.path);
  }
  const listed = new Set((await listBackups(folder)).map((b) => b.path));
  for (const name of await namesIn(folder)) {
    const path = join(folder, name);
    const leftover =
      (name.startsWith('.groundwork-backup-') && name.endsWith(PARTIAL_SUFFIX)) || (backupName.test(name) && !listed.has(path));
    if (!leftover) continue;
    const age = await stat(path).then((s) => now.getTime() - s.mtimeMs, () => 0);
    if (age > LEFTOVER_GRACE_MS) await rm(path, { force: true });
  }
  return removed;
}

/** The manifest of a complete, intact backup; a VALIDATION error naming `file` otherwise. */
export async function verifyBackup(path: string): Promise<BackupManifest> {
  const refuse = (why: string) => new ApiError('VALIDATION', `file: ${path} ${why}`, { field: 'file' });
  const manifest = await readManifest(path);
  if (!manifest) throw refuse('is not a Groundwork backup (no readable manifest beside it)');
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch (error) {
    throw refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (bytes !== manifest.bytes || hash.digest('hex') !== manifest.sha256) {
    throw refuse(`is damaged: its size or checksum differs from its manifest (${bytes} of ${manifest.bytes} bytes)`);
  }
  return manifest;
}

async function readManifest(path: string): Promise<BackupManifest | null> {
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(await readFile(manifestPath(path), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function namesIn(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
