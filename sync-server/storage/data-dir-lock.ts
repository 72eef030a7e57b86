/**
 * The relay's use of the shared data-dir lock (src-main/sync-protocol/data-dir-lock.ts): the
 * serving relay holds `relay.lock`, which also records its URL so that the CLI, run while the
 * relay is up, sends its commands to the relay (over the admin routes) instead of opening the
 * database a second time. A lock whose process is gone (kill -9, crash) is taken over.
 */
import { DataDirLockedError, lockDataDir as lockDir, lockHolder, type DataDirLock } from '../../src-main/sync-protocol/data-dir-lock';

export type { DataDirLock };

const LOCK_FILE = 'relay.lock';

export function lockDataDir(dataDir: string): DataDirLock {
  try {
    return lockDir(dataDir, LOCK_FILE);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    const { holder } = error;
    throw new Error(
      holder
        ? `data dir ${dataDir} is in use by relay process ${holder.pid}${holder.url ? ` (${holder.url})` : ''}`
        : `data dir ${dataDir} is in use by a relay process that is still starting`,
    );
  }
}

/** The live relay holding this data dir, if any. */
export function runningRelay(dataDir: string): { pid: number; url: string | null } | null {
  const holder = lockHolder(dataDir, LOCK_FILE);
  return holder && { pid: holder.pid, url: holder.url };
}
