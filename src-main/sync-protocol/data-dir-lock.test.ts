/**
 * The data-dir lock against real processes: six contenders (lock-in-child.ts) starting at one
 * shared instant, trial after trial, on a fresh dir and on a dir holding the lock of a process
 * that has exited — exactly one holds it each time. Also: a killed owner's lock is taken over, a
 * release by a process that no longer owns the lock leaves the owner's, and a half-written lock is
 * held while young.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir, lockHolder } from './data-dir-lock';

const FILE = 'test.lock';
const CONTENDERS = 6;
const TRIALS = 10;

interface Reply {
  pid: number;
  held?: boolean;
  error?: string;
  message?: string;
}

interface Contender {
  pid: number;
  child: ChildProcess;
  send(command: object): Promise<Reply>;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'groundwork-lock-test-'));
  dirs.push(dir);
  return dir;
};

function startContender(): Promise<Contender> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'lock-in-child.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const waiting: ((reply: Reply) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => waiting.shift()?.(JSON.parse(line) as Reply));
  const next = () => new Promise<Reply>((resolve) => waiting.push(resolve));
  const ready = next();
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`contender exited (${code}) before it was ready`)));
    void ready.then(({ pid }) =>
      resolve({
        pid,
        child,
        send(command) {
          const reply = next();
          child.stdin!.write(`${JSON.stringify(command)}\n`);
          return reply;
        },
      }),
    );
  });
}

const startContenders = (n: number) => Promise.all(Array.from({ length: n }, startContender));

/** All of them try to take the lock at one instant; resolves with each one's answer. */
function race(contenders: Contender[], dir: string): Promise<Reply[]> {
  const at = Date.now() + 250;
  return Promise.all(contenders.map((c) => c.send({ take: { dir, file: FILE, at } })));
}

const releaseAll = (contenders: Contender[]) => Promise.all(contenders.map((c) => c.send({ release: true })));

/** The pid of a process that has exited. */
async function exitedPid(): Promise<number> {
  const gone = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => gone.once('exit', resolve));
  return gone.pid!;
}

const ownerOf = (dir: string) => (JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as { pid: number }).pid;

function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

afterAll(() => {
  children.splice(0).forEach((c) => c.kill('SIGKILL'));
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

describe('data-dir lock, raced by real processes', () => {
  let contenders: Contender[];
  beforeAll(async () => {
    contenders = await startContenders(CONTENDERS);
  });

  /** Runs the trials; per trial: how many held it, whether the file names the holder, what was left. */
  async function trials(prepare: (dir: string) => void | Promise<void>) {
    const outcomes = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = newDir();
      await prepare(dir);
      const replies = await race(contenders, dir);
      const holders = replies.filter((r) => r.held);
      const refusals = replies.filter((r) => !r.held).map((r) => r.error);
      const namesHolder = holders.length === 1 && ownerOf(dir) === holders[0]!.pid;
      await releaseAll(contenders);
      outcomes.push({ holders: holders.length, namesHolder, refusals: [...new Set(refusals)], leftBehind: readdirSync(dir) });
    }
    return outcomes;
  }

  const alwaysOne = Array.from({ length: TRIALS }, () => ({ holders: 1, namesHolder: true, refusals: ['DataDirLockedError'], leftBehind: [] }));

  it('lets exactly one of six processes starting at the same instant take a fresh dir', async () => {
    expect(await trials(() => {})).toEqual(alwaysOne);
  });

  it('lets exactly one of them take over the lock of a process that has exited', async () => {
    const pid = await exitedPid();
    expect(await trials((dir) => writeFileSync(join(dir, FILE), JSON.stringify({ pid, host: hostname(), nonce: 'gone' })))).toEqual(alwaysOne);
  });

  it("lets exactly one of them take over a killed owner's lock", async () => {
    const outcomes = [];
    for (let trial = 0; trial < 3; trial++) {
      const dir = newDir();
      const [owner] = await startContenders(1);
      expect((await race([owner!], dir))[0]!.held).toBe(true);
      await killed(owner!.child);
      const replies = await race(contenders, dir);
      const holders = replies.filter((r) => r.held);
      outcomes.push({ holders: holders.length, namesHolder: holders.length === 1 && ownerOf(dir) === holders[0]!.pid });
      await releaseAll(contenders);
    }
    expect(outcomes).toEqual(Array.from({ length: 3 }, () => ({ holders: 1, namesHolder: true })));
  });

  it('leaves the lock of its owner when a process that no longer owns it releases', async () => {
    const dir = newDir();
    const mine = lockDataDir(dir, FILE);
    rmSync(mine.path); // lost (e.g. judged stale by mistake); another process takes the dir
    const [other] = contenders;
    expect((await race([other!], dir))[0]!.held).toBe(true);
    mine.release();
    expect(ownerOf(dir)).toBe(other!.pid);
    expect(() => lockDataDir(dir, FILE)).toThrow(DataDirLockedError);
    await releaseAll(contenders);
  });
});

describe('data-dir lock content', () => {
  const dirsHere: string[] = [];
  afterEach(() => dirsHere.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'groundwork-lock-test-'));
    dirsHere.push(d);
    return d;
  };

  it('treats a young, half-written lock as held, and an old one as stale', () => {
    const d = dir();
    const path = join(d, FILE);
    writeFileSync(path, '{"pid":');
    expect(() => lockDataDir(d, FILE)).toThrow(DataDirLockedError);
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    const lock = lockDataDir(d, FILE);
    expect(ownerOf(d)).toBe(process.pid);
    lock.release();
    expect(readdirSync(d)).toEqual([]);
  });

  it('names its live holder and the URL it recorded, and nobody once released', () => {
    const d = dir();
    const lock = lockDataDir(d, FILE);
    expect(lockHolder(d, FILE)).toEqual({ pid: process.pid, host: hostname(), url: null });
    lock.setUrl('http://127.0.0.1:1234');
    expect(lockHolder(d, FILE)).toEqual({ pid: process.pid, host: hostname(), url: 'http://127.0.0.1:1234' });
    try {
      lockDataDir(d, FILE);
      expect.unreachable('a second lock in the same process');
    } catch (error) {
      expect(error).toBeInstanceOf(DataDirLockedError);
      expect((error as DataDirLockedError).holder).toEqual({ pid: process.pid, host: hostname(), url: 'http://127.0.0.1:1234' });
    }
    lock.release();
    lock.release();
    expect(lockHolder(d, FILE)).toBeNull();
    expect(readdirSync(d)).toEqual([]);
  });

  it('recovers from a contender killed in the middle of a takeover: its marker and temp file are cleared', async () => {
    const d = dir();
    const pid = await exitedPid();
    const stale = JSON.stringify({ pid, host: hostname(), nonce: 'gone' });
    writeFileSync(join(d, FILE), stale);
    const marker = `${FILE}.${createHash('sha256').update(stale).digest('hex').slice(0, 16)}.takeover`;
    writeFileSync(join(d, marker), JSON.stringify({ pid, host: hostname(), nonce: 'taker' }));
    writeFileSync(join(d, `${FILE}.0b7e4bd8-a2d9-4c33-9bbd-5b0e4e1b7d2a.tmp`), JSON.stringify({ pid, host: hostname(), nonce: 'temp' }));
    const lock = lockDataDir(d, FILE);
    expect(readdirSync(d)).toEqual([FILE]);
    lock.release();
    expect(readdirSync(d)).toEqual([]);
  });

  it('takes over a lock left by an earlier process that had the same pid (a container restarted)', () => {
    const d = dir();
    writeFileSync(join(d, FILE), JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'an-earlier-run' }));
    const lock = lockDataDir(d, FILE);
    lock.release();
    expect(readdirSync(d)).toEqual([]);
  });
});
