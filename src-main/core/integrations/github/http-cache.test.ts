import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { Octokit } from 'octokit';
import type { PGlite } from '@electric-sql/pglite';
import { createCore, type Core } from '../../core';
import { tempDir } from '../../testing/temp-core';
import { attachHttpCache, forgetAccount, CACHE_HEADER, type HttpCacheOptions } from './http-cache';
import { recordings, startEtagReplay, type EtagReplay } from './testing/cache-fixtures/etag-replay-server';

let core: Core;
let db: PGlite;
let replay: EtagReplay;

beforeAll(async () => {
  core = await createCore({ dataDir: null });
  db = core.internals.db;
});
afterAll(async () => {
  await core.close();
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await db.query('DELETE FROM github_http_cache');
});

async function server(...files: string[]): Promise<EtagReplay> {
  replay = await startEtagReplay();
  cleanups.push(() => replay.close());
  for (const file of files) replay.serve(recordings(file));
  return replay;
}

function client(account: string, extra: Partial<HttpCacheOptions> = {}) {
  // Retries and throttling off: a loopback GitHub answers at once, and a retried 5xx would cost seconds.
  const octokit = new Octokit({ baseUrl: replay.baseUrl, auth: `token-of-${account}`, retry: { enabled: false }, throttle: { enabled: false } });
  const cache = attachHttpCache(octokit, { db, account, ...extra });
  return { octokit, cache };
}

async function rows(url?: string) {
  const { rows } = await db.query<{ account: string; url: string; etag: string | null; last_modified: string | null; headers: Record<string, string>; body: unknown; status: number }>(
    `SELECT account, url, etag, last_modified, headers, body, status FROM github_http_cache
     WHERE $1::text IS NULL OR url = $1 ORDER BY account, use_order`,
    [url ?? null],
  );
  return rows;
}

const branches = { owner: 'octokit', repo: 'octokit.rb' };

describe('conditional GETs through the cache', () => {
  it('stores a first 200, then answers the re-fetch from the cache on a 304 that spends no quota', async () => {
    await server('branches-list');
    const { octokit, cache } = client('alice');

    const first = await octokit.rest.repos.listBranches(branches);
    expect(first.data.map((b) => b.name)).toEqual(['gh-pages', 'master', 'octokit-2']);
    expect(first.headers[CACHE_HEADER]).toBe('miss');
    const [row] = await rows();
    expect(row).toMatchObject({ account: 'alice', url: `${replay.baseUrl}/repos/octokit/octokit.rb/branches`, status: 200, etag: '"f009a1c032991f1b5a68370ee314ce7b"', last_modified: 'Mon, 24 Jun 2013 17:09:44 GMT' });
    expect(row!.body).toEqual(first.data);
    expect(cache.stats()).toMatchObject({ requestsSent: 1, notModified: 0, stored: 1, quotaSpent: 1, rateLimit: { limit: 60, remaining: 49 } });

    const again = await octokit.rest.repos.listBranches(branches);
    expect(replay.exchanges.at(-1)).toMatchObject({ ifNoneMatch: '"f009a1c032991f1b5a68370ee314ce7b"', ifModifiedSince: 'Mon, 24 Jun 2013 17:09:44 GMT', status: 304 });
    expect(again.status).toBe(200);
    expect(again.data).toEqual(first.data);
    expect(again.headers[CACHE_HEADER]).toBe('hit');
    expect(cache.stats()).toMatchObject({ requestsSent: 2, notModified: 1, stored: 1, quotaSpent: 1, rateLimit: { limit: 60, remaining: 49 } });
    expect(await rows()).toHaveLength(1);
  });

  it('replaces the entry when the resource changed (a new ETag answers 200)', async () => {
    await server('pulls-list');
    const { octokit, cache } = client('alice');
    const url = `${replay.baseUrl}/repos/octokit/octokit.rb/pulls`;

    const before = await octokit.rest.pulls.list(branches);
    expect(before.data).toHaveLength(5);
    expect((await octokit.rest.pulls.list(branches)).headers[CACHE_HEADER]).toBe('hit');

    // The pull requests change: a later real answer (a list of one pull request, its own ETag) now stands at the same URL.
    replay.serve(recordings('commit-pulls-list'), '/repos/octokit/octokit.rb/pulls');
    const after = await octokit.rest.pulls.list(branches);
    expect(replay.exchanges.at(-1)).toMatchObject({ ifNoneMatch: '"93e962013a4e6b40398e0e094d6d8d33"', status: 200 });
    expect(after.headers[CACHE_HEADER]).toBe('miss');
    expect(after.data.map((p) => p.number)).toEqual([3207]);
    const stored = await rows(url);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ etag: 'W/"0839dae225827a67631b768e3681c425"', last_modified: null });
    expect(stored[0]!.body).toEqual(after.data);

    const unchanged = await octokit.rest.pulls.list(branches);
    expect(replay.exchanges.at(-1)).toMatchObject({ ifNoneMatch: 'W/"0839dae225827a67631b768e3681c425"', status: 304 });
    expect(unchanged.data).toEqual(after.data);
    expect(cache.stats()).toMatchObject({ requestsSent: 4, notModified: 2, stored: 2, quotaSpent: 2 });
  });

  it('keeps each page of octokit.paginate as its own entry with its Link header, and re-syncs with a 304 per page', async () => {
    await server('actions-runs-list-paginated');
    const { octokit, cache } = client('alice');
    const list = () => octokit.paginate(octokit.rest.actions.listWorkflowRunsForRepo, { owner: 'octo-user', repo: 'hello-world', per_page: 1 });

    const first = await list();
    expect(first).toHaveLength(3);
    const pages = await rows();
    expect(pages.map((r) => r.url.slice(replay.baseUrl.length))).toEqual([
      '/repos/octo-user/hello-world/actions/runs?per_page=1',
      '/repositories/540180744/actions/runs?per_page=1&page=2',
      '/repositories/540180744/actions/runs?page=3&per_page=1', // as page 2's Link writes it
    ]);
    expect(pages[0]!.headers.link).toContain(`<${replay.baseUrl}/repositories/540180744/actions/runs?per_page=1&page=2>; rel="next"`);
    expect(pages.every((p) => p.etag?.startsWith('W/"'))).toBe(true);
    expect(cache.stats()).toMatchObject({ requestsSent: 3, notModified: 0, stored: 3, quotaSpent: 3, rateLimit: { remaining: 4839, used: 161, resetAt: new Date(1663891143_000).toISOString() } });

    const sent = replay.exchanges.length;
    const again = await list();
    expect(again).toEqual(first);
    expect(replay.exchanges.slice(sent).map((e) => e.status)).toEqual([304, 304, 304]);
    expect(replay.exchanges.slice(sent).every((e, i) => e.ifNoneMatch === pages[i]!.etag)).toBe(true);
    expect(cache.stats()).toMatchObject({ requestsSent: 6, notModified: 3, stored: 3, quotaSpent: 3, rateLimit: { remaining: 4839, used: 161 } });
  });

  it('never lets two accounts share an entry', async () => {
    await server('branches-list');
    const alice = client('alice');
    const bob = client('bob');

    await alice.octokit.rest.repos.listBranches(branches);
    await bob.octokit.rest.repos.listBranches(branches);
    // Bob's first request is unconditional: Alice's entry is not his to revalidate.
    expect(replay.exchanges.map((e) => [e.ifNoneMatch, e.status])).toEqual([
      [null, 200],
      [null, 200],
    ]);
    expect((await rows()).map((r) => r.account)).toEqual(['alice', 'bob']);
    expect(bob.cache.stats()).toMatchObject({ requestsSent: 1, stored: 1, notModified: 0 });

    expect(await forgetAccount(db, 'alice')).toBe(1);
    expect((await rows()).map((r) => r.account)).toEqual(['bob']);
    expect((await bob.octokit.rest.repos.listBranches(branches)).headers[CACHE_HEADER]).toBe('hit');
  });

  it('sends one request for identical concurrent GETs and gives every caller the same answer', async () => {
    await server('commits-list');
    const { octokit, cache } = client('alice');
    const get = () => octokit.rest.repos.listCommits({ owner: 'sferik', repo: 'rails_admin' });

    const cold = await Promise.all([get(), get(), get(), get()]);
    expect(replay.exchanges).toHaveLength(1);
    for (const answer of cold) expect(answer.data).toEqual(cold[0]!.data);
    expect(new Set(cold.map((a) => a.data)).size).toBe(4); // copies: one caller's edits are not another's
    expect(cold[0]!.data).toHaveLength(30);

    const warm = await Promise.all([get(), get(), get()]);
    expect(replay.exchanges.map((e) => e.status)).toEqual([200, 304]);
    for (const answer of warm) expect(answer.data).toEqual(cold[0]!.data);
    expect(cache.stats()).toMatchObject({ requestsSent: 2, notModified: 1, stored: 1, quotaSpent: 1 });

    // Two clients of one account (two syncs at once) each send theirs; the entry stays whole and one.
    const other = client('alice');
    await db.query('DELETE FROM github_http_cache');
    const [a, b] = await Promise.all([get(), other.octokit.rest.repos.listCommits({ owner: 'sferik', repo: 'rails_admin' })]);
    expect(a.data).toEqual(b.data);
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.body).toEqual(a.data);
  });
});

describe('size bound', () => {
  it('evicts the entries used longest ago once past maxEntries', async () => {
    await server('branches-list', 'pulls-list', 'commits-list');
    const { octokit } = client('alice', { maxEntries: 2 });
    await octokit.rest.repos.listBranches(branches);
    await octokit.rest.pulls.list(branches);
    await octokit.rest.repos.listBranches(branches); // a 304 counts as a use
    await octokit.rest.repos.listCommits({ owner: 'sferik', repo: 'rails_admin' });
    expect((await rows()).map((r) => r.url.slice(replay.baseUrl.length))).toEqual(['/repos/octokit/octokit.rb/branches', '/repos/sferik/rails_admin/commits']);
  });

  it('evicts by the bodies’ total size, and does not keep a body larger than the bound', async () => {
    await server('branches-list', 'pulls-list');
    const small = client('alice', { maxBytes: 20_000 });
    await small.octokit.rest.repos.listBranches(branches);
    const pulls = await small.octokit.rest.pulls.list(branches); // ~60 KB of JSON
    expect(pulls.data).toHaveLength(5);
    expect((await rows()).map((r) => r.url.slice(replay.baseUrl.length))).toEqual(['/repos/octokit/octokit.rb/branches']);
    expect(small.cache.stats()).toMatchObject({ stored: 1 });
  });

  it('refuses bad options with the field named', () => {
    const octokit = new Octokit();
    expect(() => attachHttpCache(octokit, { db, account: '  ' })).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringMatching(/^account: /) }));
    expect(() => attachHttpCache(octokit, { db, account: 'a', maxEntries: 0 })).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringMatching(/^maxEntries: /) }));
  });
});

describe('a killed write', () => {
  it('leaves whole rows only: each entry’s ETag, headers and body belong together', async () => {
    const dir = tempDir('groundwork-http-cache-');
    cleanups.push(() => dir.remove());
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'testing/cache-fixtures/store-in-child.ts'), dir.path], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let stores = 0;
    for await (const line of lines) {
      const message = JSON.parse(line) as { stored?: number; error?: string };
      expect(message.error).toBeUndefined();
      stores = message.stored ?? 0;
      // Killed while it goes on replacing the entry, one body and then the other, in a bounded loop.
      if (stores >= 5) break;
    }
    child.kill('SIGKILL');
    await exited;
    expect(stores).toBe(5);

    const reopened = await createCore({ dataDir: dir.path });
    cleanups.push(() => reopened.close());
    const { rows: after } = await reopened.internals.db.query<{ etag: string; headers: { etag: string }; body: { number: number }[] }>(
      'SELECT etag, headers, body FROM github_http_cache',
    );
    expect(after).toHaveLength(1);
    // Which pull requests each recorded ETag stands for: a row's body must be its own ETag's.
    const pullNumbers = (file: string) => (recordings(file)[0]!.response as { number: number }[]).map((p) => p.number);
    const numbersByEtag: Record<string, number[]> = {
      '"93e962013a4e6b40398e0e094d6d8d33"': pullNumbers('pulls-list'),
      'W/"0839dae225827a67631b768e3681c425"': pullNumbers('commit-pulls-list'),
    };
    const [row] = after;
    expect(row!.headers.etag).toBe(row!.etag);
    expect(row!.body.map((p) => p.number)).toEqual(numbersByEtag[row!.etag]);
  });
});
