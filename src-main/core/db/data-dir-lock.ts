/**
 * PGlite has no lock of its own: two processes opening one data dir silently corrupt it. The core
 * takes `groundwork.lock` through the shared data-dir lock (src-main/sync-protocol/data-dir-lock.ts:
 * atomic, released only by its owner, a dead owner's lock taken over) and turns a refusal into
 * the contract's UNAVAILABLE error, naming the dir and the process holding it.
 */
import { ApiError } from '../../contract';
import { DataDirLockedError, lockDataDir as lockDir, type DataDirLock } from '../../sync-protocol/data-dir-lock';

export type { DataDirLock };

export function lockDataDir(dataDir: string): DataDirLock {
  try {
    return lockDir(dataDir, 'groundwork.lock');
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    const { holder } = error;
    const who = holder ? `pid ${holder.pid} on ${holder.host}` : 'one that is still taking the lock';
    throw new ApiError(
      'UNAVAILABLE',
      `The data directory ${dataDir} is already open in another Groundwork process (${who}). Close it first, or choose another --data-dir.`,
      { dataDir, pid: holder?.pid ?? null, host: holder?.host ?? null },
    );
  }
}
