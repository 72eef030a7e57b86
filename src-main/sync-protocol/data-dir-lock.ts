/**
 * The data-dir lock of the app core (`groundwork.lock`) and of the relay (`relay.lock`): PGlite has
 * no lock of its own, and two processes on one data dir corrupt it. The ONE Node-only file of
 * sync-protocol (node:fs, node:os, node:crypto); it works the same on Windows, macOS and Linux
 * (no flock, no /proc), and on a folder shared between machines.
 *
 * Taking it is one atomic step: the owner record (pid, host, a random nonce) is written in full to
 * a temp file, which is then hard-linked to the lock name — `link` fails with EEXIST if the name
 * exists, so exactly one contender wins and nobody ever reads a half-written winner. (Where a file
 * system has no hard links, an exclusive create is the fallback; a reader then treats a lock
 * whose content it cannot read as held while it is younger than UNREADABLE_GRACE_MS.)
 *
 * A lock is stale when its owner is gone (same host, pid not running; or our own pid with a nonce
 * that is not one of ours: a restarted container). Removing a stale lock is where naive locks let
 * two processes in: A and B both judge it stale, B removes it and takes the dir, then A removes
 * B's live lock. So the right to remove a lock whose content is X belongs to whoever creates the
 * marker file `<lock>.<sha256(X)>.takeover` (again an exclusive link); holding it, they re-read the
 * lock and remove it only if it still holds X. Nobody else ever changes a lock holding X (its owner
 * is dead, and takers only create), so that check cannot go stale. A marker left by a process that
 * died holding it is itself stale and removed by the same rule, one level up.
 *
 * Release removes the lock only if it still names this owner's nonce.
 */
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, fstatSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** A lock file younger than this whose content cannot be read is being written: it is held. */
export const UNREADABLE_GRACE_MS = 2_000;
const MAX_ATTEMPTS = 100;
/** Nested stale takeover markers followed before giving up (each level needs a death mid-takeover). */
const MAX_MARKER_DEPTH = 3;

/** Who holds a data dir, as its lock file says. */
export interface LockHolder {
  pid: number;
  host: string;
  /** Where the holder answers (the relay's HTTP address), for tools run beside it; else null. */
  url: string | null;
}

/** The data dir is locked by a live process (`holder`), or by one still writing its lock (null). */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly path: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      holder
        ? `the data dir ${dataDir} is locked by process ${holder.pid} on ${holder.host}`
        : `the data dir ${dataDir} is locked by a process that is still taking the lock (${path})`,
    );
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Records where this holder answers (see LockHolder.url). */
  setUrl(url: string): void;
  /** Removes the lock if it still names this owner; idempotent. */
  release(): void;
}

interface OwnerRecord extends LockHolder {
  nonce: string;
}

/** Nonces of the locks this process holds: our pid with another nonce is a previous process's. */
const ownNonces = new Set<string>();

export function lockDataDir(dataDir: string, fileName: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, fileName);
  const owner: OwnerRecord = { pid: process.pid, host: hostname(), nonce: randomUUID(), url: null };
  let seen: Found | null = null;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (createExclusive(path, JSON.stringify(owner))) {
      ownNonces.add(owner.nonce);
      sweepLeftovers(dataDir, fileName);
      return heldLock(path, owner);
    }
    seen = inspect(path);
    if (!seen) {
      if (attempt > 2) pause(); // released between our attempt and the look: try again
      continue;
    }
    if (seen.held) throw new DataDirLockedError(dataDir, path, seen.holder);
    if (removeIfStill(path, seen.raw, 0) === 'busy') pause();
  }
  throw new DataDirLockedError(dataDir, path, seen?.holder ?? null);
}

/** The live process holding this data dir's lock, if its lock can be read. */
export function lockHolder(dataDir: string, fileName: string): LockHolder | null {
  const found = inspect(join(dataDir, fileName));
  return found?.held ? found.holder : null;
}

function heldLock(path: string, owner: OwnerRecord): DataDirLock {
  let released = false;
  const stillOurs = () => parseOwner(readRaw(path))?.nonce === owner.nonce;
  return {
    path,
    setUrl(url) {
      if (released || !stillOurs()) return;
      owner.url = url;
      // Replaced in one rename, so a reader sees the old record or the new one, never a mix.
      const temp = tempName(path);
      writeFileSync(temp, JSON.stringify(owner), { flag: 'wx' });
      retryBusy(() => renameSync(temp, path));
    },
    release() {
      if (released) return;
      released = true;
      ownNonces.delete(owner.nonce);
      if (safely(stillOurs)) rmSync(path, { force: true }); // ours: nobody else removes a live owner's lock
    },
  };
}

interface Found {
  raw: Buffer;
  held: boolean;
  /** The owner it names, when readable. */
  holder: LockHolder | null;
}

/** What is at `path`: null when absent; else its content and whether its owner still holds it. */
function inspect(path: string): Found | null {
  let raw: Buffer;
  let modifiedAt: number;
  try {
    // One descriptor for both, so the age and the content belong to the same file.
    const fd = openSync(path, 'r');
    try {
      modifiedAt = fstatSync(fd).mtimeMs;
      raw = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    // Gone, or (Windows) being deleted or replaced this instant: the caller looks again.
    if (isCode(error, 'ENOENT') || isCode(error, 'EPERM') || isCode(error, 'EBUSY')) return null;
    throw error;
  }
  const owner = parseOwner(raw);
  if (!owner) return { raw, held: Date.now() - modifiedAt < UNREADABLE_GRACE_MS, holder: null };
  return { raw, held: isAlive(owner), holder: { pid: owner.pid, host: owner.host, url: owner.url } };
}

function parseOwner(raw: Buffer | null): OwnerRecord | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw.toString('utf8')) as Partial<OwnerRecord>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return null;
    return { pid: value.pid, host: value.host, nonce: typeof value.nonce === 'string' ? value.nonce : '', url: typeof value.url === 'string' ? value.url : null };
  } catch {
    return null;
  }
}

function isAlive(owner: OwnerRecord): boolean {
  // Another machine's processes cannot be seen (a shared folder): assume it is alive.
  if (owner.host !== hostname()) return true;
  // Our pid: one of our locks, or (a nonce we never made) a previous process that had our pid.
  // A record without a nonce predates nonces: assume it is ours.
  if (owner.pid === process.pid) return !owner.nonce || ownNonces.has(owner.nonce);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM'); // it exists, but belongs to another user
  }
}

/**
 * Removes `path` if it still holds `judged` (content whose owner is gone). 'busy': another process
 * holds the takeover marker right now; the caller retries shortly.
 */
function removeIfStill(path: string, judged: Buffer, depth: number): 'done' | 'busy' {
  const marker = `${path}.${createHash('sha256').update(judged).digest('hex').slice(0, 16)}.takeover`;
  const me: OwnerRecord = { pid: process.pid, host: hostname(), nonce: randomUUID(), url: null };
  if (!createExclusive(marker, JSON.stringify(me))) {
    const other = inspect(marker);
    // Its maker died between taking and dropping it: remove that marker by the same rule.
    if (other && !other.held && depth < MAX_MARKER_DEPTH) removeIfStill(marker, other.raw, depth + 1);
    return 'busy';
  }
  ownNonces.add(me.nonce);
  try {
    if (readRaw(path)?.equals(judged)) rmSync(path, { force: true });
    return 'done';
  } finally {
    ownNonces.delete(me.nonce);
    rmSync(marker, { force: true }); // ours, and held only for these few calls
  }
}

/**
 * Creates `path` holding `content`, atomically; false when it already exists. The content is
 * complete before the name appears (write a temp file, then link it to the name).
 */
function createExclusive(path: string, content: string): boolean {
  const temp = tempName(path);
  writeFileSync(temp, content, { flag: 'wx' });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if (isCode(error, 'EEXIST') || exists(path)) return false;
    // No hard links on this file system (FAT, some network shares): an exclusive create, whose
    // content readers may briefly see incomplete (they hold such a lock for UNREADABLE_GRACE_MS).
    return createByOpen(path, content);
  } finally {
    rmSync(temp, { force: true });
  }
}

function createByOpen(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Temp files and takeover markers left by processes killed in the middle of taking a lock. A temp
 * file is only ever linked by its maker, so a dead maker's is garbage; a marker goes by its rule.
 */
function sweepLeftovers(dataDir: string, fileName: string): void {
  let names: string[];
  try {
    names = readdirSync(dataDir).filter((name) => name.startsWith(`${fileName}.`));
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dataDir, name);
    const found = name.endsWith('.tmp') || name.endsWith('.takeover') ? safely(() => inspect(path)) : null;
    if (!found || found.held) continue;
    if (name.endsWith('.tmp')) rmSync(path, { force: true });
    else safely(() => removeIfStill(path, found.raw, 1));
  }
}

const tempName = (path: string) => `${path}.${randomUUID()}.tmp`;

function readRaw(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw error;
  }
}

/** False only when certainly absent (Windows reports a file being deleted as EPERM: it exists). */
function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    return !isCode(error, 'ENOENT');
  }
}

/** Windows refuses to replace a file another process has open for a moment: try again. */
function retryBusy(fn: () => void): void {
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (error) {
      if (attempt >= 20 || !(isCode(error, 'EPERM') || isCode(error, 'EBUSY') || isCode(error, 'EACCES'))) throw error;
      pause();
    }
  }
}

function safely<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

/** A few milliseconds, synchronously (taking the lock is synchronous for its callers). */
function pause(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2 + Math.random() * 8);
}

const isCode = (error: unknown, code: string) => (error as NodeJS.ErrnoException | null)?.code === code;
