/**
 * Files written into a folder people chose (exports, generated data, backups) appear under their
 * final name only when complete: the bytes go to a hidden temp file in the same folder (same file
 * system, so the rename is atomic), which is fsynced and then renamed. A run that fails, is
 * cancelled or is killed leaves no file with the final name; `discard` removes the temp file, and
 * a kill leaves only a dot-file ending in `.partial` that listings ignore.
 */
import { randomUUID } from 'node:crypto';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Writable } from 'node:stream';

/** Text is gathered up to this many bytes before one write: few syscalls, bounded memory. */
const WRITE_CHUNK_BYTES = 256 * 1024;

export interface StagedFile {
  /** The name the file gets when committed. */
  readonly path: string;
  /** Where the bytes go until then (for libraries that write to a path themselves). */
  readonly tempPath: string;
  /** Appends text (UTF-8) or bytes; resolves once the chunk is written or buffered. */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Bytes written so far. */
  readonly bytes: number;
  /** Flushes, fsyncs and renames to `path`; resolves with the file's size. */
  commit(): Promise<number>;
  /** Removes the temp file; safe to call after a failure at any point, and twice. */
  discard(): Promise<void>;
}

export const PARTIAL_SUFFIX = '.partial';

export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomUUID().slice(0, 8)}${PARTIAL_SUFFIX}`);
}

export async function stageFile(path: string): Promise<StagedFile> {
  const tempPath = tempPathFor(path);
  let handle: FileHandle | null = await open(tempPath, 'wx');
  let pending: string[] = [];
  let pendingBytes = 0;
  let bytes = 0;
  let done = false;

  const flush = async () => {
    if (pending.length === 0 || !handle) return;
    const text = pending.join('');
    pending = [];
    pendingBytes = 0;
    await handle.write(text);
  };
  const closeHandle = async () => {
    const h = handle;
    handle = null;
    await h?.close();
  };

  return {
    path,
    tempPath,
    get bytes() {
      return bytes;
    },
    async write(chunk) {
      if (!handle) throw new Error(`${path} is already committed or discarded`);
      if (typeof chunk === 'string') {
        const size = Buffer.byteLength(chunk);
        bytes += size;
        pending.push(chunk);
        pendingBytes += size;
        if (pendingBytes >= WRITE_CHUNK_BYTES) await flush();
      } else {
        await flush();
        bytes += chunk.byteLength;
        await handle.write(chunk);
      }
    },
    async commit() {
      if (done) throw new Error(`${path} is already committed or discarded`);
      done = true;
      if (handle) {
        await flush();
        await handle.sync();
        await closeHandle();
      } else {
        await syncFile(tempPath);
      }
      await rename(tempPath, path);
      await syncFolder(dirname(path));
      return (await stat(path)).size;
    },
    async discard() {
      done = true;
      await closeHandle().catch(() => {});
      await rm(tempPath, { force: true });
    },
  };
}

/**
 * A Writable over a staged file, for libraries that write to a stream (exceljs): each chunk is
 * written before the next is accepted, so the library's backpressure reaches the disk.
 */
export function stagedStream(file: StagedFile): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      file.write(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)).then(() => callback(), callback);
    },
  });
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Makes the rename itself durable. Windows cannot open a folder for fsync (EISDIR/EPERM): there
 * the rename is as durable as NTFS makes it, which is what every Windows app gets.
 */
async function syncFolder(folder: string): Promise<void> {
  try {
    await syncFile(folder);
  } catch {
    try {
      const handle = await open(folder, 'r');
      await handle.sync().finally(() => handle.close());
    } catch {
      // not supported on this platform
    }
  }
}

/** Runs `write` on a staged file, committing on success and discarding on any failure. */
export async function writeStaged<T>(path: string, write: (file: StagedFile) => Promise<T>): Promise<{ value: T; bytes: number }> {
  const file = await stageFile(path);
  try {
    const value = await write(file);
    const bytes = await file.commit();
    return { value, bytes };
  } catch (error) {
    await file.discard();
    throw error;
  }
}
