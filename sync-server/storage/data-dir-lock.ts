/**
 * PGlite has no lock: two processes on one data dir corrupt it. The serving relay holds
 * `relay.lock`, which also records its URL so that the CLI, run while the relay is up, sends its
 * commands to the relay (over the admin routes) instead of opening the database a second time.
 * A lock whose process is gone (kill -9, crash) is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

interface LockOwner {
  pid: number;
  host: string;
  url: string | null;
}

export interface DataDirLock {
  /** Records the URL the relay listens on, for the CLI. */
  setUrl(url: string): void;
  release(): void;
}

const lockPath = (dataDir: string) => join(dataDir, 'relay.lock');

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  const owner: LockOwner = { pid: process.pid, host: hostname(), url: null };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      let released = false;
      return {
        setUrl(url) {
          writeFileSync(path, JSON.stringify({ ...owner, url }));
        },
        release() {
          if (!released) rmSync(path, { force: true });
          released = true;
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const running = runningRelay(dataDir);
      if (running) {
        throw new Error(`data dir ${dataDir} is in use by relay process ${running.pid}${running.url ? ` (${running.url})` : ''}`);
      }
      rmSync(path, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`could not lock data dir ${dataDir}`);
}

/** The live relay holding this data dir, if any. */
export function runningRelay(dataDir: string): { pid: number; url: string | null } | null {
  let owner: Partial<LockOwner>;
  try {
    owner = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as Partial<LockOwner>;
  } catch {
    return null; // absent, or half-written by a process that died mid-write
  }
  if (typeof owner.pid !== 'number') return null;
  // Another machine's processes cannot be seen (a shared folder): assume it is alive.
  const alive = owner.host !== hostname() || owner.pid === process.pid || isProcessAlive(owner.pid);
  return alive ? { pid: owner.pid, url: typeof owner.url === 'string' ? owner.url : null } : null;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
