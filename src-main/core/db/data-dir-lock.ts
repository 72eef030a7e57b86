/**
 * PGlite has no lock of its own: two processes opening one data dir silently corrupt it. We take
 * an exclusive lock file next to the database and refuse a second opener. A lock left behind by
 * a process that no longer runs (a crash, a kill) is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../contract';

export interface DataDirLock {
  path: string;
  release(): void;
}

interface LockOwner {
  pid: number;
  host: string;
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'groundwork.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname() } satisfies LockOwner));
      closeSync(fd);
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner && isHeld(owner)) {
        throw new ApiError(
          'UNAVAILABLE',
          `The data directory ${dataDir} is already open in another Groundwork process (pid ${owner.pid} on ${owner.host}). Close it first, or choose another --data-dir.`,
          { dataDir, pid: owner.pid, host: owner.host },
        );
      }
      rmSync(path, { force: true }); // stale: its owner is gone
    }
  }
  throw new ApiError('UNAVAILABLE', `Could not lock the data directory ${dataDir}.`, { dataDir });
}

function readOwner(path: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? (owner as LockOwner) : null;
  } catch {
    return null; // half-written or unreadable: its writer died mid-write
  }
}

function isHeld(owner: LockOwner): boolean {
  // On another machine (a shared folder) we cannot see its processes: assume it is alive.
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
